"""Serve the fixture news web in the foreground: `python -m veille.newsweb`."""
from __future__ import annotations

import argparse
import threading
from datetime import date

from veille.newsweb.server import SITES_DIR, NewsWeb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veille.newsweb",
        description="Sert le web d'actualités fictif (sites de démonstration) sur l'adresse de boucle locale.")
    parser.add_argument("--port", type=int, default=8765,
                        help="port d'écoute (0 : un port libre choisi par le système ; défaut : 8765)")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="date de référence des articles, AAAA-MM-JJ (défaut : aujourd'hui, Europe/Paris)")
    args = parser.parse_args(argv)

    web = NewsWeb(SITES_DIR, port=args.port, today=args.today)
    try:
        web.start()
    except OSError as error:
        raise SystemExit(f"Impossible d'ouvrir le port {args.port} : {error}. Essayez --port 0.")
    print(f"Web d'actualités fictif (articles datés par rapport au {web.today.isoformat()}) :")
    for site_id, base in web.bases.items():
        print(f"  {site_id:<26} {base}/")
    print("Ctrl+C pour arrêter.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()


if __name__ == "__main__":
    main()
