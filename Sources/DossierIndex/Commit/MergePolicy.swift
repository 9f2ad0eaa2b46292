/// Chooses which segments to merge so that an index fed a little at a time keeps few segments,
/// with bounded work per commit: a tiered policy in the manner of Lucene's.
///
/// Segments are grouped into tiers by live document count, each tier `segmentsPerTier` times
/// larger than the one below (everything under `floorDocs` is one tier). When a tier holds
/// `segmentsPerTier` segments or more, its smallest `segmentsPerTier` are merged into one, which
/// lands in the next tier up. A segment with more than `maxDeletedFraction` of its documents
/// deleted is rewritten alone, to reclaim the space. So an index of N documents keeps about
/// `segmentsPerTier × log(N / floorDocs)` segments, and each document is rewritten about
/// log(N / floorDocs) / log(segmentsPerTier) times over its life.
///
///     let merges = TieredMergePolicy().merges(for: [("seg_1", 900, 0), ("seg_2", 1000, 0)])
///
/// Cost: O(segments log segments).
package struct TieredMergePolicy: Sendable, Hashable {
  package var segmentsPerTier = 8
  package var floorDocs = 2_000
  package var maxDeletedFraction = 0.3

  package init() {}

  /// Groups of segment names to merge, each into one new segment.
  package func merges(for segments: [(name: String, docCount: Int, deletedCount: Int)]) -> [[String]] {
    var result: [[String]] = []
    var taken: Set<String> = []
    for s in segments where s.docCount > 0 && Double(s.deletedCount) > maxDeletedFraction * Double(s.docCount)
    {
      result.append([s.name])
      taken.insert(s.name)
    }
    var tiers: [Int: [(name: String, live: Int)]] = [:]
    for s in segments where !taken.contains(s.name) {
      let live = s.docCount - s.deletedCount
      var tier = 0
      var limit = floorDocs
      while live >= limit {
        tier += 1
        limit *= segmentsPerTier
      }
      tiers[tier, default: []].append((s.name, live))
    }
    for tier in tiers.keys.sorted() {
      let members = tiers[tier]!.sorted { $0.live != $1.live ? $0.live < $1.live : $0.name < $1.name }
      if members.count >= segmentsPerTier {
        result.append(members.prefix(segmentsPerTier).map(\.name))
      }
    }
    return result
  }
}
