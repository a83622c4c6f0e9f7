"""ylyx-tasks: the task list and supervision workflow of 运城市's 养老托育 plan (运政办发〔2022〕29号)."""

__version__ = "0.1.0"
