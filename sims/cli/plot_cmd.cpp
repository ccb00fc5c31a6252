// `moesim plot DIR`: draws every CSV of a sweep folder as PNG and SVG with results/plot.py (Debian's
// python3-matplotlib), and with --curves the learning curves of its records; `moesim plot --run RUN`
// draws one run's learning curves and routing (results/plot_run.py).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "usage_error.hpp"
#include "data_paths.hpp"

namespace moesim::sims {

void add_plot_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto run = std::make_shared<std::string>();
  auto curves = std::make_shared<bool>(false);
  auto* p = app.add_subcommand("plot", "Draw a sweep's figures (PNG + SVG) from its CSVs");
  p->footer("Examples:\n  moesim plot results/quick            (writes results/quick/*.png and *.svg)\n"
            "  moesim plot results/quick --curves   (and SECTION.curves.png: every record's train and test metric)\n"
            "  moesim plot --run runs/train/X       (X/run.curves.png: loss, metrics and, for an MoE, routing)\n"
            "Uses /usr/bin/python3 with matplotlib ($MOESIM_PYTHON overrides).");
  auto* dir_opt = p->add_option("dir", *dir, "a sweep folder (holding the CSVs of moesim sweep)");
  p->add_option("--out", *out, "folder for the figures (default: the sweep folder, or the run's)")->check(non_empty_path());
  p->add_flag("--curves", *curves, "also draw the learning curves of the sweep's records, one figure per section");
  p->add_option("--run", *run, "one run (its run.json or folder): learning curves and routing")->excludes(dir_opt);
  p->callback([dir, out, run, curves] {
    namespace fs = std::filesystem;
    auto quoted = [](const std::string& s) {  // for the shell: '...' with each ' closed, escaped, reopened
      std::string q = "'";
      for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return q + "'";
    };
    std::string args;
    if (!run->empty()) {
      if (!fs::exists(*run)) throw UsageError("plot: --run '" + *run + "' does not exist (accepted: a run.json or its folder)");
      args = " --run " + quoted(*run);
    } else {
      if (dir->empty()) throw UsageError("plot: a sweep folder or --run RUN is needed (see moesim plot --help)");
      if (!fs::is_directory(*dir)) throw UsageError("plot: '" + *dir + "' is not a folder (accepted: a sweep folder with CSVs)");
      args = " " + quoted(*dir) + (*curves ? " --curves" : "");
    }
    const std::string cmd = python_interpreter() + " " + quoted(data_paths().plot_script) + args +
                            (out->empty() ? "" : " --out " + quoted(*out));
    const int raw = std::system(cmd.c_str());
    const int rc = WIFEXITED(raw) ? WEXITSTATUS(raw) : 1;
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace moesim::sims
