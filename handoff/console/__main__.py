"""Command line for the staff console.

  python -m handoff.console serve                      # on 127.0.0.1:$CONSOLE_PORT
  python -m handoff.console create-user --username X --role agent|moderator|admin [--password-stdin]
  python -m handoff.console set-password --username X [--password-stdin]

Passwords are prompted for (twice) or read from standard input; there are no default passwords.
"""
from __future__ import annotations

import argparse
import getpass
import logging
import sys

from handoff import config, staff


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise staff.AccountError("the passwords do not match")
    return first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff.console")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the console web app")
    serve.add_argument("--port", type=int, default=None)
    create = commands.add_parser("create-user", help="create a staff account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=staff.ROLES)
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    reset = commands.add_parser("set-password", help="change a staff member's password (signs them out)")
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-stdin", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "serve":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
        from handoff.console.app import create_app
        from handoff.db import get_engine
        try:
            get_engine()
            app = create_app()
        except RuntimeError as error:
            print(f"cannot start the console: {error}", file=sys.stderr)
            return 2
        app.run(host="127.0.0.1", port=args.port or config.console_port(), access_log=False, workers=1)
        return 0

    try:
        password = _read_password(args.password_stdin)
        if args.command == "create-user":
            user = staff.create_user(args.username, password, args.role)
            print(f"created {user['role']} {user['username']}")
        else:
            staff.set_password(args.username, password)
            print(f"password changed for {staff.normalise_username(args.username)}")
    except staff.AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("error: no password given", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
