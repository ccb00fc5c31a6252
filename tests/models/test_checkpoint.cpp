#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/checkpoint.hpp"
#include "models/transformer.hpp"
#include "../scratch_dir.hpp"

using namespace moesim::models;
namespace fs = std::filesystem;

namespace {

const TransformerConfig kConfig{.vocab = 11, .d = 16, .layers = 2, .heads = 2, .experts = 4, .top_k = 2,
                                .max_len = 8};

// Fixed batches: step s always sees the same tokens.
std::vector<double> train_steps(Transformer<float>& model, AdamW<float>& opt, long from, long to) {
  std::vector<double> losses;
  for (long s = from; s < to; ++s) {
    moesim::graphs::Rng rng(99, uint64_t(s));
    std::vector<int> tokens(4 * 8), targets(4 * 8);
    for (auto& t : tokens) t = int(rng.below(11));
    for (auto& t : targets) t = int(rng.below(11));
    std::vector<float> weights(32, 1.0f / 32);
    model.store().zero_grads();
    losses.push_back(model.forward(tokens.data(), targets.data(), weights.data(), 4, 8).total());
    model.backward();
    opt.step(s, 50);
  }
  return losses;
}

fs::path temp_file(const char* name) {
  static const auto dir = moesim::testing::fresh_dir("moesim_test_checkpoint");
  return dir / name;
}

}  // namespace

TEST_CASE("checkpoint: the same seed gives bitwise-equal losses after 50 steps", "[models][checkpoint]") {
  auto be = make_cpu_backend<float>();
  Transformer<float> a(kConfig, *be, 7), b(kConfig, *be, 7);
  AdamW<float> oa({}, a.store()), ob({}, b.store());
  REQUIRE(train_steps(a, oa, 0, 50) == train_steps(b, ob, 0, 50));
}

TEST_CASE("checkpoint: save, reload and continue gives the same bits as not stopping", "[models][checkpoint]") {
  auto be = make_cpu_backend<float>();
  Transformer<float> straight(kConfig, *be, 7);
  AdamW<float> opt({}, straight.store());
  const auto expected = train_steps(straight, opt, 0, 50);

  Transformer<float> first(kConfig, *be, 7);
  AdamW<float> opt1({}, first.store());
  train_steps(first, opt1, 0, 25);
  const auto path = temp_file("moesim_resume.safetensors");
  save_checkpoint(path.string(), first.store(), {{"step", "25"}});

  Transformer<float> resumed(kConfig, *be, 12345);  // other initial weights: all must come from the file
  load_checkpoint(path.string(), resumed.store());
  REQUIRE(read_checkpoint_metadata(path.string()).at("step") == "25");
  AdamW<float> opt2({}, resumed.store());
  opt2.set_steps_taken(25);
  const auto tail = train_steps(resumed, opt2, 25, 50);
  REQUIRE(std::vector<double>(expected.begin() + 25, expected.end()) == tail);
  REQUIRE(straight.store().download(straight.store().params()) == resumed.store().download(resumed.store().params()));
}

TEST_CASE("checkpoint: truncated, corrupted and mismatched files are refused clearly", "[models][checkpoint]") {
  auto be = make_cpu_backend<float>();
  Transformer<float> model(kConfig, *be, 1);
  const auto path = temp_file("moesim_bad.safetensors");
  save_checkpoint(path.string(), model.store(), {{"kind", "transformer"}});
  const auto size = fs::file_size(path);
  const auto before = model.store().download(model.store().params());

  fs::resize_file(path, size / 2);
  REQUIRE_THROWS_WITH(load_checkpoint(path.string(), model.store()), Catch::Contains("truncated"));
  std::ofstream(path, std::ios::binary) << std::string("\x10\0\0\0\0\0\0\0{not json!}     ", 24);
  REQUIRE_THROWS_WITH(load_checkpoint(path.string(), model.store()), Catch::Contains("not valid JSON"));
  std::ofstream(path, std::ios::binary) << "abc";
  REQUIRE_THROWS_AS(load_checkpoint(path.string(), model.store()), CheckpointError);

  auto wider = kConfig;
  wider.d = 32;
  Transformer<float> other(wider, *be, 1);
  save_checkpoint(path.string(), other.store(), {});
  REQUIRE_THROWS_WITH(load_checkpoint(path.string(), model.store()), Catch::Contains("has shape"));
  auto nan = before;
  nan[3] = std::nanf("");  // one weight of a diverged run
  Transformer<float> same(kConfig, *be, 2);
  same.store().upload(same.store().params(), nan);
  save_checkpoint(path.string(), same.store(), {});
  REQUIRE_THROWS_WITH(load_checkpoint(path.string(), model.store()), Catch::Contains("NaN or infinite"));
  REQUIRE(model.store().download(model.store().params()) == before);  // untouched by failed loads
  REQUIRE_THROWS_WITH(check_checkpoint_shapes(path.string(), transformer_table(wider)), Catch::Contains("contradicts itself"));
  check_checkpoint_shapes(path.string(), transformer_table(kConfig));  // its own shapes: no throw
}

TEST_CASE("checkpoint: the header is valid safetensors", "[models][checkpoint]") {
  auto be = make_cpu_backend<float>();
  Transformer<float> model(kConfig, *be, 1);
  const auto path = temp_file("moesim_header.safetensors");
  save_checkpoint(path.string(), model.store(), {{"kind", "transformer"}});
  std::ifstream in(path, std::ios::binary);
  unsigned char len_bytes[8];
  in.read(reinterpret_cast<char*>(len_bytes), 8);
  uint64_t len = 0;
  for (int i = 7; i >= 0; --i) len = (len << 8) | len_bytes[i];
  REQUIRE(len % 8 == 0);
  REQUIRE(fs::file_size(path) == 8 + len + 3 * model.store().size() * sizeof(float));
}
