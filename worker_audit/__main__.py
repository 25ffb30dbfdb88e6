from worker_audit.cli import main

main()
