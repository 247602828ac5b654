#!/usr/bin/env bash
# make bench [BENCH_DUMP=path]: time `heapwalk summary` on a big dump, from the
# gzip and from the plain file, and report wall time and peak RSS (GNU time).
# First the ratios that issue 19's targets are about: heapwalk against a
# one-core cJSON pass over the same file (CJSON_PASS, tests/bench/cjson_pass.c),
# run alternately, round by round, so that other work on the machine weighs
# on both alike: the first load (no cache) and the reopen (index cache).
# The default dump is the 4.2M-object one in ../shared/dumps. Prints a
# Markdown table for docs/performance.md and writes it to build/bench.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
dump=${1:-}
if [ -z "$dump" ]; then
    for d in ../shared/dumps/large-py310.json.gz ../../shared/dumps/large-py310.json.gz; do
        [ -f "$d" ] && { dump=$d; break; }
    done
fi
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
    echo "bench: no dump (give one: make bench BENCH_DUMP=path/to/dump.json.gz)" >&2
    exit 2
fi
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
hw=./heapwalk
runs=${BENCH_RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The index cache of the runs lives and dies with $tmp; the plain timings
# below are of loading, so they do not use it.
export XDG_CACHE_HOME=$tmp/cache HEAPWALK_NO_CACHE=1
cjson=${CJSON_PASS:-build/cjson_pass}
[ -x "$cjson" ] || { echo "bench: no $cjson (make bench builds it)" >&2; exit 2; }

plain=$tmp/dump.json
if gzip -t "$dump" 2>/dev/null; then zcat "$dump" > "$plain"; else cp "$dump" "$plain"; dump=""; fi
cat "$plain" > /dev/null # page cache, as a user who just copied the file has it

measure() { # LABEL ARGS...: best wall time and its peak RSS over $runs runs
    local label=$1; shift
    local best_wall="" best_rss=""
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %M' -o "$tmp/t" "$hw" "$@" > "$tmp/out"
        read -r wall rss < "$tmp/t"
        if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then
            best_wall=$wall; best_rss=$rss
        fi
    done
    printf '| %s | %s s | %d MB |\n' "$label" "$best_wall" $((best_rss / 1024))
}

# wall SECONDS and peak KB of one run: "W R"
timed() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" > /dev/null; cat "$tmp/t"; }

# Rounds of: cJSON pass, heapwalk summary (parsing), heapwalk summary (reopen).
ratios() {
    local rounds=${BENCH_ROUNDS:-5}
    HEAPWALK_NO_CACHE= "$hw" summary -q "$plain" > /dev/null # writes the cache
    echo "| round | cJSON pass | summary (parse) | ratio | peak | reopen (cache) | ratio | peak |"
    echo "|---|---|---|---|---|---|---|---|"
    for r in $(seq "$rounds"); do
        read -r cw _ < <(timed "$cjson" "$plain")
        read -r hw_w hw_r < <(timed "$hw" summary -q "$plain")
        read -r rw rr < <(HEAPWALK_NO_CACHE= timed "$hw" summary -q "$plain")
        printf '| %d | %s s | %s s | %.2fx | %d MB | %s s | %.3fx | %d MB |\n' "$r" "$cw" "$hw_w" \
            "$(awk "BEGIN{print $hw_w / $cw}")" $((hw_r / 1024)) "$rw" "$(awk "BEGIN{print $rw / $cw}")" $((rr / 1024))
    done | tee "$tmp/rounds"
    printf '\nparse/cJSON: %s; reopen/cJSON: %s; %s rounds\n' "$(spread 5)" "$(spread 8)" "$rounds"
}

# spread FIELD: the median and the range of a column of $tmp/rounds.
spread() {
    cut -d'|' -f"$1" "$tmp/rounds" | tr -d ' x' | sort -n |
        awk '{v[NR] = $1} END {printf "median %sx (%sx to %sx)", v[int((NR + 1) / 2)], v[1], v[NR]}'
}

objects=$("$hw" summary -q "$plain" | sed -n 's/^Total \([0-9]*\) objects.*/\1/p')
{
    echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB; $(uname -sr)."
    echo "Dump: $(basename "${dump:-$plain}"): $(wc -c < "$plain") bytes of JSON, $objects objects after collapse."
    echo
    echo "Against one core parsing every line with cJSON (tests/bench/cjson_pass.c), alternately:"
    echo
    ratios
    echo
    echo "Best of $runs runs, whole process, page cache warm."
    echo
    echo "| command | wall | peak RSS |"
    echo "|---|---|---|"
    [ -n "$dump" ] && measure "heapwalk summary (gzip)" summary -q "$dump"
    measure "heapwalk summary (plain)" summary -q "$plain"
    measure "heapwalk summary --raw (plain)" summary -q --raw "$plain"
    measure "heapwalk summary --threads 1 (plain)" summary -q --threads 1 "$plain"
    measure "heapwalk retained --top 20 (plain: load, roots, dominators)" retained -q --top 20 "$plain"
    measure "heapwalk path (plain: load, roots, one path)" path -q "$("$hw" summary -q --json "$plain" |
        sed -n 's/.*"max_address":\([0-9]*\).*/\1/p' | head -1)" "$plain"
    # heapwalk sql: a full scan of obj must stay within 3x summary's time (load included).
    measure "heapwalk sql: full scan, count/sum/max over obj (plain)" sql -q \
        "select count(*), sum(size), max(len) from obj" "$plain"
    measure "heapwalk sql: full scan of repr (plain)" sql -q "select count(*) from obj where repr like '%zz%'" "$plain"
    measure "heapwalk sql: type = 'dict' (plain: per-type lists built once)" sql -q \
        "select count(*), sum(size) from obj where type = 'dict'" "$plain"
    measure "heapwalk sql: retained of every dict (plain: dominators on demand)" sql -q \
        "select sum(retained) from obj where type = 'dict'" "$plain"
    echo
    echo "Where the time goes (HEAPWALK_TIMINGS=1, plain file, one run):"
    echo
    HEAPWALK_TIMINGS=1 "$hw" retained -q --top 1 "$plain" 2>&1 >/dev/null | sed 's/^heapwalk: timings: /    /'
    echo
    echo "Scaling (tests/bench/scaling.sh: generated dumps, best of 2):"
    echo
    tests/bench/scaling.sh "$hw" ${BENCH_SCALING:-1000000 4000000 20000000}
} | tee build/bench.md
