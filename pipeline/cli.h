// The stancetrack command line: a table of subcommands, each a thin handler that parses its
// flags (CLI11), calls the libraries, prints, and maps the outcome to an exit status.
//
// Exit statuses (also in `stancetrack --help` and the README):
//   0  done
//   1  done, but some inputs were not stored (listed on stderr and in the ingest_errors table)
//   2  the command line is wrong
//   3  could not run: the database, a lexicon or an output file failed
//   4  internal error (a bug): main's last resort
#ifndef STANCETRACK_PIPELINE_CLI_H_
#define STANCETRACK_PIPELINE_CLI_H_

namespace stancetrack {

enum ExitCode : int {
  kExitOk = 0,
  kExitInputsSkipped = 1,
  kExitUsage = 2,
  kExitCannotRun = 3,
  kExitInternal = 4,
};

// Runs the command line; never throws.
int RunCli(int argc, char** argv);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_CLI_H_
