from svixbt.main import main

main()
