# SRS top-level make: a thin wrapper over the CMake tree that ./configure generates.
#   make            build objs/srs and the tools
#   make run        configure if needed, build, run objs/srs -c conf/srs.conf in the foreground
#   make test       configure if needed, build, run every unit and integration test (CTest)
#   make test-asan  the same with AddressSanitizer + UndefinedBehaviorSanitizer (objs/asan)
#   make bench      build and run the benchmarks (bench/)
#   make fuzz       build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#   make install    install to the prefix given to ./configure (default /usr/local/srs)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := objs/build
ASAN := objs/asan
CTEST_ARGS ?=

.PHONY: all default run test test-asan bench fuzz install clean distclean format

default: all

$(BUILD)/CMakeCache.txt:
	./configure

$(ASAN)/CMakeCache.txt:
	./configure --with-asan

all: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: all
	./objs/srs -c conf/srs.conf

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-asan: $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS)
	# Asio's coroutine frame allocator pairs aligned_alloc with operator delete.
	cd $(ASAN) && ASAN_OPTIONS=alloc_dealloc_mismatch=0:detect_leaks=1 ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: all
	./bench/run.sh

fuzz:
	./scripts/fuzz.sh

install: all
	cmake --install $(BUILD)

format:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	-cmake --build $(BUILD) --target clean

distclean:
	rm -rf objs/build objs/asan objs/fuzz objs/srs objs/srs_*
