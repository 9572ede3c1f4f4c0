// Shards and merge: a grid cut into N shards, run apart and merged, is the run one machine
// writes; merge refuses pieces of different grids and names missing and doubled cells; merging
// again into the same folder keeps what earlier merges brought; every machine a piece's cells ran
// on stays on record.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/shard.hpp"
#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using test::cell_files;
using test::read_file;
using test::run_pgbench;

TEST(Shard, ParsesKOfNAndRefusesTheRest) {
  EXPECT_EQ(parse_shard("2/8").index, 2u);
  EXPECT_EQ(parse_shard("2/8").count, 8u);
  for (const char* bad : {"0/3", "4/3", "1/0", "3", "a/b", "1/2/3", "-1/2", "1 /2"})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

TEST(Shard, ThePartitionCoversEveryCellOnceAndBalancesTheCost) {
  const PluginRegistry plugins = test::load_plugins({});
  Suite suite = load_suite(find_suite("classic-control"));
  const auto resolved = resolve_suite(suite, plugins);
  CostTable costs;
  // DDPG ten times as expensive per step as the others: the balance must see it.
  for (const auto& cell : resolved->cells)
    costs.set(cell.task->name, cell.algo->name, {cell.algo->name == "ddpg" ? 1000.0 : 10000.0, 0.5});
  for (unsigned n : {1u, 2u, 3u, 7u, 200u}) {
    const auto parts = partition_cells(*resolved, n, costs).cells;
    ASSERT_EQ(parts.size(), n);
    std::vector<int> seen(resolved->cells.size(), 0);
    std::vector<double> load;
    for (const auto& part : parts) {
      double sum = 0;
      for (std::size_t i : part) {
        ++seen[i];
        sum += costs.cell_cost(resolved->cells[i]);
      }
      load.push_back(sum);
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(seen.size())) << n;
    // The longest-processing-time rule: no shard exceeds the mean by more than the largest cell.
    double total = 0, largest = 0;
    for (const auto& cell : resolved->cells) {
      total += costs.cell_cost(cell);
      largest = std::max(largest, costs.cell_cost(cell));
    }
    EXPECT_LE(*std::max_element(load.begin(), load.end()), total / n + largest + 1e-9) << n;
    EXPECT_EQ(parts, partition_cells(*resolved, n, costs).cells) << "the partition must be the same every time";
  }
}

const std::vector<std::string> kGrid{"--suite", "smoke", "--seeds", "4", "--threads", "2", "--no-report"};

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
  args.insert(args.end(), more);
  return args;
}

TEST(Shard, ShardsMergeIntoTheOneMachineRun) {
  test::TempDir dir;
  ASSERT_EQ(run_pgbench(with(kGrid, {"--out", (dir / "one").string()}), dir / "one.log"), 0);
  std::vector<std::string> merge{"merge", (dir / "merged").string()};
  for (int k = 1; k <= 3; ++k) {
    const std::string shard = (dir / ("shard-" + std::to_string(k))).string();
    ASSERT_EQ(run_pgbench(with(kGrid, {"--shard", std::to_string(k) + "/3", "--out", shard}), dir / "shard.log"), 0)
        << read_file(dir / "shard.log");
    merge.push_back(shard);
  }
  const auto shard_manifest = nlohmann::json::parse(read_file(dir / "shard-2" / "manifest.json"));
  EXPECT_EQ(shard_manifest["shard"]["index"], 2);
  EXPECT_EQ(shard_manifest["shard"]["grid_cells"].size(), 8u);

  ASSERT_EQ(run_pgbench(merge, dir / "merge.log"), 0) << read_file(dir / "merge.log");
  EXPECT_EQ(cell_files(dir / "one"), cell_files(dir / "merged"));
  EXPECT_TRUE(fs::exists(dir / "merged" / "report" / "report.md"));
  const auto merged = nlohmann::json::parse(read_file(dir / "merged" / "manifest.json"));
  const auto one = nlohmann::json::parse(read_file(dir / "one" / "manifest.json"));
  EXPECT_EQ(merged["cells"], one["cells"]);
  EXPECT_EQ(merged["suite"], one["suite"]);
  EXPECT_FALSE(merged.contains("shard"));
  // Each piece's grid command stays on record (the merged manifest's own is the merge's).
  ASSERT_EQ(merged["merged_from"].size(), 3u);
  EXPECT_EQ(merged["merged_from"][1]["command"], shard_manifest["command"]);
  EXPECT_EQ(merged["merged_from"][1]["shard"], nlohmann::json::array({2, 3}));

  // The report over the shards is the report of the merged run, but for the directory names.
  ASSERT_EQ(run_pgbench({"report", (dir / "shard-3").string(), (dir / "shard-1").string(), (dir / "shard-2").string(),
                         "--out", (dir / "shards-report").string(), "--format", "md"},
                        dir / "report.log"),
            0)
      << read_file(dir / "report.log");
  EXPECT_EQ(read_file(dir / "shards-report" / "tables" / "aggregate.md"),
            read_file(dir / "merged" / "report" / "tables" / "aggregate.md"));
  EXPECT_EQ(read_file(dir / "shards-report" / "tables" / "per_task.md"),
            read_file(dir / "merged" / "report" / "tables" / "per_task.md"));
}

// Runs kGrid's two shards into DIR/s1 and DIR/s2.
void run_two_shards(const fs::path& dir) {
  for (int k = 1; k <= 2; ++k)
    ASSERT_EQ(run_pgbench(with(kGrid, {"--shard", std::to_string(k) + "/2", "--out", (dir / ("s" + std::to_string(k))).string()}),
                          dir / "s.log"),
              0)
        << read_file(dir / "s.log");
}

TEST(Shard, MergeRefusesPiecesOfOtherGridsAndNamesMissingAndDoubledCells) {
  test::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(run_two_shards(dir.path()));
  ASSERT_EQ(run_pgbench({"--suite", "smoke", "--seeds", "3", "--no-report", "--shard", "1/2", "--out", (dir / "other").string()},
                        dir / "other.log"),
            0);

  EXPECT_EQ(run_pgbench({"merge", (dir / "m1").string(), (dir / "s1").string(), (dir / "other").string()}, dir / "m1.log"), 2);
  EXPECT_CONTAINS(read_file(dir / "m1.log"), "not pieces of one grid; nothing written");
  EXPECT_CONTAINS(read_file(dir / "m1.log"), "suite/seeds/3: remove");
  EXPECT_FALSE(fs::exists(dir / "m1"));

  EXPECT_EQ(run_pgbench({"merge", (dir / "m2").string(), (dir / "s1").string(), (dir / "s1").string()}, dir / "m2.log"), 2);
  const std::string m2 = read_file(dir / "m2.log");
  EXPECT_CONTAINS(m2, "missing: cells/");
  EXPECT_CONTAINS(m2, "twice: cells/");
  EXPECT_FALSE(fs::exists(dir / "m2"));

  EXPECT_EQ(run_pgbench({"merge", (dir / "m3").string(), (dir / "s1").string(), "--partial"}, dir / "m3.log"), 1);
  const std::string report = read_file(dir / "m3" / "report" / "report.md");
  EXPECT_CONTAINS(report, "runs started, ");
  EXPECT_CONTAINS(report, "| Task | Algorithm | Started | Finished | Failed | Missing | Unreadable |");
  EXPECT_FALSE(nlohmann::json::parse(read_file(dir / "m3" / "manifest.json"))["merge_incomplete"]["missing"].empty());

  // Merged again into the same folder once every piece is in: complete, and the manifest says so.
  ASSERT_EQ(run_pgbench({"merge", (dir / "m3").string(), (dir / "s1").string(), (dir / "s2").string()}, dir / "m3b.log"), 0)
      << read_file(dir / "m3b.log");
  const auto merged = nlohmann::json::parse(read_file(dir / "m3" / "manifest.json"));
  EXPECT_FALSE(merged.contains("merge_incomplete")) << merged["merge_incomplete"];
  EXPECT_EQ(merged["merged_from"].size(), 2u);
  auto both = cell_files(dir / "s1");
  both.merge(cell_files(dir / "s2"));
  EXPECT_EQ(cell_files(dir / "m3"), both);
}

// The shards of a long grid finish over days, and their folders may not last as long as the
// merge: a scratch disk is wiped, a checkout is made anew. Each merge into the same folder keeps
// what the earlier ones brought.
TEST(Shard, MergingAgainKeepsTheCellsOfAPieceWhoseFolderIsGone) {
  test::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(run_two_shards(dir.path()));
  const std::string m = (dir / "m").string();
  EXPECT_EQ(run_pgbench({"merge", m, (dir / "s1").string(), "--partial", "--no-report"}, dir / "m1.log"), 1);
  const auto s1_cells = cell_files(dir / "s1");
  const auto s1_entry = nlohmann::json::parse(read_file(dir / "m" / "manifest.json"))["merged_from"][0];
  fs::remove_all(dir / "s1");

  // Only the piece with the new cells is given: the merge is complete, without --partial.
  ASSERT_EQ(run_pgbench({"merge", m, (dir / "s2").string(), "--no-report"}, dir / "m2.log"), 0) << read_file(dir / "m2.log");
  const auto s1_count = std::ranges::count_if(s1_cells, [](const auto& file) { return file.first.ends_with("summary.json"); });
  EXPECT_CONTAINS(read_file(dir / "m2.log"), fmt::format("beside the {} cells of its earlier merge", s1_count));
  auto both = s1_cells;
  both.merge(cell_files(dir / "s2"));
  EXPECT_EQ(cell_files(dir / "m"), both);
  const auto merged = nlohmann::json::parse(read_file(dir / "m" / "manifest.json"));
  EXPECT_FALSE(merged.contains("merge_incomplete")) << merged["merge_incomplete"];
  ASSERT_EQ(merged["merged_from"].size(), 2u) << merged["merged_from"];
  EXPECT_EQ(merged["merged_from"][0], s1_entry) << "the gone piece stays on record, first, as it was";
  EXPECT_EQ(merged["merged_from"][1]["dir"], "s2");

  // A piece given again replaces its entry rather than adding one.
  ASSERT_EQ(run_pgbench({"merge", m, (dir / "s2").string(), "--no-report"}, dir / "m3.log"), 0) << read_file(dir / "m3.log");
  EXPECT_EQ(nlohmann::json::parse(read_file(dir / "m" / "manifest.json"))["merged_from"], merged["merged_from"]);
  EXPECT_EQ(cell_files(dir / "m"), both);

  // Into a folder that holds another grid's run: refused, naming the difference, nothing changed.
  ASSERT_EQ(run_pgbench({"--suite", "smoke", "--seeds", "3", "--no-report", "--shard", "1/2", "--out", (dir / "other").string()},
                        dir / "other.log"),
            0);
  const auto other_before = cell_files(dir / "other");
  EXPECT_EQ(run_pgbench({"merge", (dir / "other").string(), (dir / "s2").string()}, dir / "m4.log"), 2);
  EXPECT_CONTAINS(read_file(dir / "m4.log"), "holds a run of another grid than the pieces; nothing written");
  EXPECT_EQ(cell_files(dir / "other"), other_before);
}

TEST(Shard, EveryMachineTheCellsRanOnIsOnRecord) {
  test::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(run_two_shards(dir.path()));
  // Shard 2 began on another machine (its manifest says so) and is resumed here for one cell.
  const fs::path manifest_file = dir / "s2" / "manifest.json";
  auto manifest = nlohmann::json::parse(read_file(manifest_file));
  const nlohmann::json here = manifest["machine"];
  manifest["machine"] = {{"cpu", "Test CPU 9000"}, {"hardware_threads", 64}, {"arch", "x86_64"}, {"os", "Linux 1.0"}};
  test::write_file(manifest_file, manifest.dump(2));
  const std::string cell = manifest["cells"][0]["dir"];
  fs::remove(dir / "s2" / cell / "summary.json");
  ASSERT_EQ(run_pgbench(with(kGrid, {"--shard", "2/2", "--out", (dir / "s2").string()}), dir / "resume.log"), 0)
      << read_file(dir / "resume.log");
  EXPECT_CONTAINS(read_file(dir / "resume.log"), "resumed on another machine");
  manifest = nlohmann::json::parse(read_file(manifest_file));
  ASSERT_EQ(manifest["machine_changes"].size(), 1u);
  EXPECT_EQ(manifest["machine_changes"][0]["machine"], here);
  EXPECT_EQ(manifest["machine_changes"][0]["cells"], nlohmann::json::array({cell}));
  // Resumed again on the same machine: nothing more to record.
  ASSERT_EQ(run_pgbench(with(kGrid, {"--shard", "2/2", "--out", (dir / "s2").string()}), dir / "again.log"), 0);
  EXPECT_EQ(nlohmann::json::parse(read_file(manifest_file))["machine_changes"].size(), 1u);

  // The merge keeps each piece's machines, and which of its cells ran where; the report names both.
  ASSERT_EQ(run_pgbench({"merge", (dir / "m").string(), (dir / "s1").string(), (dir / "s2").string()}, dir / "m.log"), 0)
      << read_file(dir / "m.log");
  const auto merged = nlohmann::json::parse(read_file(dir / "m" / "manifest.json"));
  EXPECT_EQ(merged["merged_from"][0]["machines"], nlohmann::json::array({here}));
  EXPECT_EQ(merged["merged_from"][1]["machines"], nlohmann::json::array({manifest["machine"], here}));
  EXPECT_EQ(merged["merged_from"][1]["machine_changes"], manifest["machine_changes"]);
  EXPECT_FALSE(merged.contains("machine_changes")) << "a piece's changes are the piece's, under merged_from";
  const std::string report = read_file(dir / "m" / "report" / "report.md");
  EXPECT_CONTAINS(report, "machines: " + here["cpu"].get<std::string>());
  EXPECT_CONTAINS(report, "; Test CPU 9000, 64 hardware threads, x86_64, Linux 1.0; build:");
}

}  // namespace
}  // namespace pgbench
