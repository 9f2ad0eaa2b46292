import DossierIndex
import Foundation

/// The settings an index is created with and keeps for life: the analyzer (used for every
/// document and every query), BM25's k1 and b, whether title and body are one field, and the
/// BM25F weights of title, headings and body.
///
/// Defaults chosen by measurement (`dossier eval`, 2026-11-29; nDCG@10, standard profile,
/// title and text as two fields): k1 1.2, b 0.75, title weight 3 gave SciFact 0.6987 and
/// Cranfield 0.3455 (k1 0.9, b 0.4, title 2: 0.6868 and 0.3273; the reference 0.6789 and
/// 0.3220), and 0.9019 on the samples' own judgments (0.90–0.91 for every setting tried).
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
  /// BM25F weights of the default fields, by field number (0 title, 1 headings, 2 body).
  public var titleWeight: Double
  public var headingsWeight: Double
  public var bodyWeight: Double
  /// The version of this settings record.
  public var version: Int

  public init(analyzer: Analyzer = .standard, k1: Double = 1.2, b: Double = 0.75, singleField: Bool = false) {
    self.analyzer = analyzer
    self.k1 = k1
    self.b = b
    self.singleField = singleField
    self.titleWeight = 3
    self.headingsWeight = 1
    self.bodyWeight = 1
    self.version = 1
  }

  enum CodingKeys: String, CodingKey {
    case analyzer, k1, b, singleField, titleWeight, headingsWeight, bodyWeight, version
  }

  /// Reads stored settings; fields added after an index was made take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = IndexSettings()
    analyzer = try c.decode(Analyzer.self, forKey: .analyzer)
    k1 = try c.decode(Double.self, forKey: .k1)
    b = try c.decode(Double.self, forKey: .b)
    singleField = try c.decodeIfPresent(Bool.self, forKey: .singleField) ?? false
    titleWeight = try c.decodeIfPresent(Double.self, forKey: .titleWeight) ?? defaults.titleWeight
    headingsWeight = try c.decodeIfPresent(Double.self, forKey: .headingsWeight) ?? defaults.headingsWeight
    bodyWeight = try c.decodeIfPresent(Double.self, forKey: .bodyWeight) ?? defaults.bodyWeight
    version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
  }

  /// The weights by field number, for the search engine.
  package var fieldWeights: [FieldNumber: Double] {
    [0: titleWeight, 1: headingsWeight, 2: bodyWeight, 3: 0]
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
