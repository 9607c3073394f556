// Placeholder entry point: replaced by the full command line, config, daemon and signals.
#include <cstdio>

int main() {
  std::puts("srs");
  return 0;
}
