from svixbt.cli import main

main()
