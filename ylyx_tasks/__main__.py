from ylyx_tasks.cli import main

main()
