#!/usr/bin/env bash
# A real single-node Elasticsearch on loopback, without Docker, for tests and
# local use: scripts/elasticsearch.sh start|stop|status|url
#
# The official integ-test-zip distribution is fetched from Maven Central with
# Maven (cached in ~/.m2 and unpacked once under the cache folder), started on
# 127.0.0.1 with a small heap and security off, and waited for until the
# cluster answers. When the Debian package hunspell-fr is installed, its
# fr_FR dictionary is copied into the node's config so the index can use the
# hunspell token filter (the integ-test-zip has no analysis-common module).
#
# Environment (all optional):
#   VEILLE_ES_VERSION   distribution version (default below)
#   VEILLE_ES_PORT      HTTP port (default 9200)
#   VEILLE_ES_CACHE     cache folder (default ~/.cache/veille/elasticsearch, or
#                       /var/cache/veille/elasticsearch as root: the node then runs as
#                       the system user veille-es, which cannot enter /root)
#   VEILLE_ES_HEAP      JVM heap (default 512m)
#   VEILLE_ES_JAVA_HOME the JDK to run it with (default: the newest JDK found
#                       under /usr/lib/jvm that the version supports, else java on PATH)
#   VEILLE_ES_SETTINGS  extra -E settings, space separated (e.g. thread_pool.write.queue_size=2)
set -euo pipefail

VERSION="${VEILLE_ES_VERSION:-8.19.21}"
PORT="${VEILLE_ES_PORT:-9200}"
if [ "$(id -u)" -eq 0 ]; then DEFAULT_CACHE=/var/cache/veille/elasticsearch; else DEFAULT_CACHE="$HOME/.cache/veille/elasticsearch"; fi
CACHE="${VEILLE_ES_CACHE:-$DEFAULT_CACHE}"
HEAP="${VEILLE_ES_HEAP:-512m}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSION}:zip"
HOME_DIR="$CACHE/elasticsearch-$VERSION"
RUN_DIR="$CACHE/node-$PORT"
URL="http://127.0.0.1:$PORT"
RUN_USER="veille-es"   # Elasticsearch refuses to run as root

say() { echo "elasticsearch: $*" >&2; }

answers() { curl -s -m 2 -o /dev/null -w "%{http_code}" "$URL/_cluster/health" 2>/dev/null | grep -q '^200$'; }

java_home() {
    if [ -n "${VEILLE_ES_JAVA_HOME:-}" ]; then echo "$VEILLE_ES_JAVA_HOME"; return; fi
    # 8.x runs on Java 17 to 24 with its security manager; 9.x needs 21+.
    local major="${VERSION%%.*}" best="" best_v=0 dir v
    for dir in /usr/lib/jvm/*/; do
        [ -x "$dir/bin/java" ] || continue
        v="$("$dir/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p' | head -1)"
        v="${v%%.*}"
        [ -n "$v" ] || continue
        if [ "$major" -ge 9 ]; then [ "$v" -ge 21 ] || continue; else { [ "$v" -ge 17 ] && [ "$v" -le 21 ]; } || continue; fi
        if [ "$v" -gt "$best_v" ]; then best="${dir%/}"; best_v="$v"; fi
    done
    if [ -n "$best" ]; then echo "$best"; return; fi
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

fetch() {
    [ -x "$HOME_DIR/bin/elasticsearch" ] && return
    command -v mvn >/dev/null || { say "Maven (mvn) est introuvable : installez le paquet Debian maven"; exit 1; }
    mkdir -p "$CACHE/dist"
    local zip="$CACHE/dist/elasticsearch-$VERSION.zip"
    if [ ! -s "$zip" ]; then
        say "téléchargement de $ARTIFACT (Maven Central, une seule fois)"
        mvn -B -q dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$CACHE/dist" \
            -Dmdep.stripVersion=false -Dmdep.overWriteReleases=false >&2
    fi
    local tmp="$CACHE/unpack.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    unzip -q "$zip" -d "$tmp"
    rm -rf "$HOME_DIR" && mv "$tmp/elasticsearch-$VERSION" "$HOME_DIR" && rm -rf "$tmp"
}

hunspell() {
    local dic aff target="$HOME_DIR/config/hunspell/fr_FR"
    dic="$(readlink -f /usr/share/hunspell/fr_FR.dic 2>/dev/null || true)"
    aff="$(readlink -f /usr/share/hunspell/fr_FR.aff 2>/dev/null || true)"
    if [ -f "$dic" ] && [ -f "$aff" ]; then
        mkdir -p "$target"
        cp "$aff" "$target/fr_FR.aff" && cp "$dic" "$target/fr_FR.dic"
    fi
}

as_runner() {
    if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
    id "$RUN_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
    chown -R "$RUN_USER:" "$HOME_DIR/config" "$RUN_DIR"
    setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups "$@"
}

start() {
    if answers; then say "déjà en marche sur $URL"; return 0; fi
    fetch
    hunspell
    mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs"
    rm -f "$RUN_DIR/pid"
    local jdk extra=()
    jdk="$(java_home)"
    for setting in ${VEILLE_ES_SETTINGS:-}; do extra+=("-E$setting"); done
    say "démarrage $VERSION sur $URL (Java : $jdk, tas : $HEAP)"
    ES_JAVA_HOME="$jdk" ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" as_runner "$HOME_DIR/bin/elasticsearch" -d -p "$RUN_DIR/pid" \
        -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$PORT" \
        -Etransport.port="$((PORT + 100))" -Expack.security.enabled=false \
        -Epath.data="$RUN_DIR/data" -Epath.logs="$RUN_DIR/logs" -Ecluster.name="veille-$PORT" \
        -Ecluster.routing.allocation.disk.threshold_enabled=false -Eaction.destructive_requires_name=false \
        "${extra[@]}" >"$RUN_DIR/start.out" 2>&1 || {
        say "le démarrage a échoué :"; tail -20 "$RUN_DIR/start.out" >&2; exit 1; }
    for _ in $(seq 1 120); do
        if curl -s -m 2 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null | grep -q '"status"'; then
            say "prêt : $URL"; return 0
        fi
        if [ -f "$RUN_DIR/pid" ] && ! kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null; then break; fi
        sleep 1
    done
    say "le nœud ne répond pas sur $URL ; fin du journal :"
    tail -30 "$RUN_DIR/logs/veille-$PORT.log" >&2 2>/dev/null || tail -30 "$RUN_DIR/start.out" >&2
    stop || true
    exit 1
}

stop() {
    local pid
    if [ ! -f "$RUN_DIR/pid" ]; then say "aucun nœud démarré par ce script sur le port $PORT"; return 0; fi
    pid="$(cat "$RUN_DIR/pid")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then say "arrêt forcé (SIGKILL) de $pid"; kill -9 "$pid"; fi
    fi
    rm -f "$RUN_DIR/pid"
    say "arrêté (port $PORT)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if answers; then echo "en marche : $URL"; else echo "arrêté : $URL"; exit 3; fi ;;
    url) echo "$URL" ;;
    fetch) fetch && hunspell && echo "$HOME_DIR" ;;
    *) echo "usage : $0 start|stop|status|url|fetch" >&2; exit 2 ;;
esac
