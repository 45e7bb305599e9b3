"""The 测评体系 as data: model, YAML loader and the bundled rubrics."""
