#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

TEST_CASE("prove protocol: runs on a trained one-layer checkpoint", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_protocol");
  const auto train = run_cli("train --task length2 --model onelayer --nodes 6 --m 2 --heads 1 --steps 100 --out " +
                             (dir / "run").string());
  REQUIRE(train.status == 0);
  const auto r = run_cli("prove protocol --checkpoint " + (dir / "run" / "model.safetensors").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("(pass)") != std::string::npos);
  REQUIRE(r.out.find("inputs") != std::string::npos);
  fs::remove_all(dir);
}

namespace {

// A safetensors file as (header, data); written back with the header's new length.
std::pair<nlohmann::json, std::string> read_safetensors(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  uint64_t len = 0;
  for (int i = 7; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(bytes[i]);
  return {nlohmann::json::parse(bytes.substr(8, len)), bytes.substr(8 + len)};
}

void write_safetensors(const fs::path& file, const nlohmann::json& header, const std::string& data) {
  const std::string text = header.dump();
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = char((uint64_t(text.size()) >> (8 * i)) & 0xFF);
  std::ofstream(file, std::ios::binary) << out << text << data;
}

}  // namespace

TEST_CASE("prove protocol: a checkpoint with NaN weights, or whose config contradicts its tensors, is refused",
          "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_protocol_doctored");
  REQUIRE(run_cli("train --task length2 --model onelayer --nodes 6 --m 2 --heads 1 --steps 2 --out " +
                  (dir / "run").string()).status == 0);
  auto [header, data] = read_safetensors(dir / "run" / "model.safetensors");
  write_safetensors(dir / "nan.safetensors", header, std::string(data.size(), '\xff'));  // every float NaN
  auto config = nlohmann::json::parse(header["__metadata__"]["config"].get<std::string>());
  config["m"] = 40000;  // a model of about 10^10 parameters, while the tensors are [.., 2]
  header["__metadata__"]["config"] = config.dump();
  write_safetensors(dir / "liar.safetensors", header, data);
  const auto nan = run_cli("prove protocol --checkpoint " + (dir / "nan.safetensors").string());
  REQUIRE(nan.status == 2);
  REQUIRE(nan.out.find("NaN or infinite") != std::string::npos);
  const auto liar = run_cli("prove protocol --checkpoint " + (dir / "liar.safetensors").string());
  REQUIRE(liar.status == 2);
  REQUIRE(liar.out.find("contradicts itself") != std::string::npos);
  require_refused({"prove protocol --checkpoint " + (dir / "nan.safetensors").string(),
                   "prove protocol --checkpoint " + (dir / "liar.safetensors").string()});
  fs::remove_all(dir);
}

TEST_CASE("prove protocol: a missing, corrupt or non-one-layer checkpoint exits 2 with one line", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_protocol_bad");
  write_text(dir / "garbage.safetensors", "not a checkpoint at all");
  const auto train = run_cli("train --task phonebook --model dense --d 8 --heads 2 --layers 1 --entries 8 --steps 2 --out " +
                             (dir / "dense").string());
  REQUIRE(train.status == 0);
  require_refused({"prove protocol --checkpoint /nonexistent.safetensors",
                   "prove protocol --checkpoint " + (dir / "garbage.safetensors").string(),
                   "prove protocol --checkpoint " + (dir / "dense" / "model.safetensors").string()});
  fs::remove_all(dir);
}
