import DossierIndex
import Foundation

/// The settings an index is created with and keeps for life: the analyzer (used for every
/// document and every query), BM25's k1 and b, and whether title and body are one field.
/// They are stored in the index's manifest as JSON and shown by `dossier stats`.
///
///     var settings = IndexSettings()
///     settings.analyzer = .luceneEnglish
///     settings.singleField = true        // as the reference runs of ../shared/eval
public struct IndexSettings: Sendable, Hashable, Codable {
  /// The analysis chain for documents and queries.
  public var analyzer: Analyzer
  /// BM25's term-frequency saturation (queries may override it).
  public var k1: Double
  /// BM25's length normalization (queries may override it).
  public var b: Double
  /// Title and body indexed as one field (`body`, title first), as Anserini's "flat" runs.
  public var singleField: Bool
  /// The version of this settings record.
  public var version: Int

  public init(analyzer: Analyzer = .standard, k1: Double = 0.9, b: Double = 0.4, singleField: Bool = false) {
    self.analyzer = analyzer
    self.k1 = k1
    self.b = b
    self.singleField = singleField
    self.version = 1
  }

  func encode() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try! encoder.encode(self))
  }

  static func decode(_ bytes: [UInt8], file: String) throws(DossierError) -> IndexSettings {
    do {
      return try JSONDecoder().decode(IndexSettings.self, from: Data(bytes))
    } catch {
      throw .corrupt(file: file, detail: "settings are not readable: \(error)")
    }
  }
}
