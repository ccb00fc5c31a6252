// `moesim plot DIR`: draws every CSV of a sweep folder as PNG and SVG with results/plot.py (Debian's
// python3-matplotlib). The script reads only the CSVs.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "usage_error.hpp"
#include "data_paths.hpp"

namespace moesim::sims {

void add_plot_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto* p = app.add_subcommand("plot", "Draw a sweep's figures (PNG + SVG) from its CSVs");
  p->footer("Example:\n  moesim plot results/quick            (writes results/quick/*.png and *.svg)\n"
            "Uses /usr/bin/python3 with matplotlib ($MOESIM_PYTHON overrides).");
  p->add_option("dir", *dir, "a sweep folder (holding the CSVs of moesim sweep)")->required();
  p->add_option("--out", *out, "folder for the figures (default: the sweep folder)");
  p->callback([dir, out] {
    namespace fs = std::filesystem;
    if (!fs::is_directory(*dir)) throw UsageError("plot: '" + *dir + "' is not a folder (accepted: a sweep folder with CSVs)");
    const std::string cmd = python_interpreter() + " '" + data_paths().plot_script + "' '" + *dir + "'" +
                            (out->empty() ? "" : " --out '" + *out + "'");
    const int raw = std::system(cmd.c_str());
    const int rc = WIFEXITED(raw) ? WEXITSTATUS(raw) : 1;
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace moesim::sims
