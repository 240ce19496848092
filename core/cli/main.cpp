// Placeholder until the command-line tool lands (same session); keeps the build configurable.
#include <cstdio>
int main() { std::puts("ap_cli: not built yet"); return 1; }
