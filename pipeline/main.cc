// stancetrack: see pipeline/cli.h for the subcommands and exit statuses.
#include <cstdio>
#include <exception>

#include "pipeline/cli.h"

int main(int argc, char** argv) {
  try {
    return stancetrack::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stancetrack: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "stancetrack: internal error\n");
  }
  return stancetrack::kExitInternal;
}
