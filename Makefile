# heapwalk: explore Python heap dumps (meliae format) in a terminal.
#
#   make          build ./heapwalk
#   make run      install what is missing, build, open the sample dump
#   make test     install what is missing, build with -Werror, run every test,
#                 then again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench    time `heapwalk summary` on the 4.2M-object dump (BENCH_DUMP=path)
#   make deps     install the missing Debian packages (apt-get; sudo when not root)

CC      ?= cc
BUILD   ?= build
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wpointer-arith -Wvla -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP
LDLIBS_ENGINE = -lcjson -lz -lm -lpthread
LDLIBS_TUI    = -lncursesw
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Debian packages: build, tests, and the tools the tests drive.
DEB_PACKAGES = gcc make libc6-dev libncurses-dev ncurses-term libcjson-dev uthash-dev zlib1g-dev \
               libcmocka-dev libvterm-dev gzip

ENGINE_SRC = $(filter-out src/main.c,$(wildcard src/*.c))
TUI_SRC    = $(wildcard tui/*.c)
ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ    = $(TUI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ   = $(BUILD)/src/main.o
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
VTDRIVE    = $(BUILD)/tests/vtdrive

SAMPLE_DUMP = tests/data/small-py310.json.gz

.PHONY: all deps run test test-build check bench fuzz valgrind clean
all: heapwalk

heapwalk: $(BUILD)/heapwalk
	cp $< $@

$(BUILD)/heapwalk: $(MAIN_OBJ) $(ENGINE_OBJ) $(TUI_OBJ)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(LDLIBS_TUI) $(LDLIBS_ENGINE)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/testutil.h $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(ENGINE_OBJ) -lcmocka $(LDLIBS_ENGINE)

$(VTDRIVE): tests/tui/vtdrive.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lvterm -lutil -lncursesw

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: deps
	$(MAKE) all
	./heapwalk $(SAMPLE_DUMP)

# The test build: warnings are errors.
test-build: $(BUILD)/heapwalk $(UNIT_BIN) $(VTDRIVE)

check: test-build
	@BUILD=$(BUILD) HEAPWALK=$(BUILD)/heapwalk VTDRIVE=$(VTDRIVE) tests/run.sh $(UNIT_BIN)

test: deps
	$(MAKE) BUILD=build/test EXTRA_CFLAGS=-Werror check
	$(MAKE) BUILD=build/asan EXTRA_CFLAGS="-Werror $(ASAN_FLAGS)" CFLAGS="-O1 -g" \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  HW_SANITIZED=1 check

bench: deps all
	tests/bench/bench.sh $(BENCH_DUMP)

# make fuzz [FUZZ_SECONDS=60]: each libFuzzer target (clang, ASan+UBSan) for
# that long on a copy of its seed corpus; crashes land in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = parse load
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz: needs clang (apt-get install clang)"; exit 2; }
	@mkdir -p build/fuzz
	@for t in $(FUZZ_TARGETS); do \
	  clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
	    -o build/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(ENGINE_SRC) $(LDLIBS_ENGINE) || exit 1; \
	  rm -rf build/fuzz/corpus_$$t; cp -r tests/fuzz/corpus/$$t build/fuzz/corpus_$$t; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  (cd build/fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -rss_limit_mb=2048 \
	    -print_final_stats=1 corpus_$$t 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY)|crash-|Done') || exit 1; \
	done

# make valgrind: every batch subcommand on a small dump under memcheck: no errors, no leaks.
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all
VG_DUMP  = tests/data/edge-py310.json.gz
VG_ADDR  = 140013426686800
valgrind: all
	@command -v valgrind >/dev/null || { echo "make valgrind: needs valgrind"; exit 2; }
	$(VALGRIND) ./heapwalk summary -q $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk summary -q --raw --json $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk show -q --json $(VG_ADDR) $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk path -q --all 3 $(VG_ADDR) $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk roots -q $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk dot -q $(VG_ADDR) $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk retained -q --by-type $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk export -q $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk diff -q tests/data/small-py310.json.gz $(VG_DUMP) > /dev/null
	$(VALGRIND) ./heapwalk summary -q tests/cli/no-such-dump.json > /dev/null 2>&1; [ $$? -eq 1 ]
	@echo "valgrind: no errors, no leaks"

clean:
	rm -rf build heapwalk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
