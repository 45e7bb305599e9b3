from cwa.cli import run

run()
