from zhaoshang.cli import main

main()
