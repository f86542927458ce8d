from bildungskette.cli import main

main()
