import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// The bundled samples, extracted once and analyzed as the index will analyze them: each
/// document in the language it names, else the one the detector finds.
struct AnalyzedSamples: Sendable {
  var languages: [String: Language] = [:]
  var terms: [String: Set<String>] = [:]
  var texts: [String: String] = [:]

  static let shared: AnalyzedSamples = {
    var samples = AnalyzedSamples()
    let ingestion = Ingestion()
    let (files, _) = ingestion.collect([repositoryRoot + "/Samples/reports"])
    let analyzer = Analyzer.standard
    let session = AnalysisSession(analyzer)
    ingestion.extract(files) { result in
      for doc in result.documents {
        var text = doc.title + "\n" + doc.headings.map(\.text).joined(separator: "\n") + "\n" + doc.bodyText
        let language = text.withUTF8 { analyzer.language(named: doc.metadata["lang"], text: $0) }
        let name = (doc.id as NSString).lastPathComponent
        samples.languages[name] = language
        samples.texts[name] = text
        samples.terms[name] = Set(session.analyze(text, language: language).tokens.map(\.term))
      }
    }
    return samples
  }()
}

@Suite struct MultilingualSamplesTests {
  /// Every sample in another language than English, and the language it is analyzed in.
  /// Malay and Indonesian share a stemmer; a Malay text that does not say so is found as `id`.
  static let expected: [String: String] = [
    "es-chile-vigilancia.txt": "es", "es-mexico-pegasus.html": "es",
    "es-reconocimiento-facial-buenos-aires.html": "es", "ru-sorm.html": "ru", "ru-moscow-cameras.html": "ru",
    "ru-uzbekistan-safe-city.md": "ru", "id-jakarta-cctv.html": "id", "ms-kuala-lumpur-smart-city.html": "ms",
    "ms-indonesia-data-law.txt": "id", "zh-skynet-sharp-eyes.html": "zh", "zh-hikvision-xinjiang.txt": "zh",
    "brief-012": "es",
  ]

  @Test func eachSampleIsAnalyzedInItsLanguage() {
    let samples = AnalyzedSamples.shared
    #expect(samples.languages.count > 50)
    for (name, language) in samples.languages {
      #expect(language.code == Self.expected[name] ?? "en", "\(name)")
    }
  }

  /// Words from the samples and the stems their language's analysis makes of them.
  @Test(arguments: [
    ("es-chile-vigilancia.txt", "vigilancia", "vigil"),
    ("es-mexico-pegasus.html", "periodistas", "period"),
    ("es-reconocimiento-facial-buenos-aires.html", "reconocimiento", "reconoc"),
    ("ru-sorm.html", "перехвата", "перехват"),
    ("ru-moscow-cameras.html", "камеры", "камер"),
    ("ru-uzbekistan-safe-city.md", "Ташкенте", "ташкент"),
    ("id-jakarta-cctv.html", "pengawasan", "awas"),
    ("ms-kuala-lumpur-smart-city.html", "pengecaman", "ecam"),
    ("ms-indonesia-data-law.txt", "Perlindungan", "lindung"),
    ("zh-skynet-sharp-eyes.html", "监控", "监控"),
    ("zh-hikvision-xinjiang.txt", "海康威视", "康威"),
  ])
  func stemsOfTheSamples(name: String, word: String, stem: String) {
    let samples = AnalyzedSamples.shared
    let language = samples.languages[name]!
    #expect(samples.texts[name]!.contains(word), "\(name) has \(word)")
    #expect(samples.terms[name]!.contains(stem), "\(name): \(stem)")
    // The word alone, analyzed in the sample's language, gives the same stem.
    #expect(Analyzer.standard.analyze(word, language: language).map(\.term).contains(stem))
  }

  /// Each query of Samples/queries.tsv in another language than English (q20 to q31) finds
  /// every word in its most relevant non-English samples, when the query is analyzed in all the samples'
  /// languages.
  @Test func queriesInTheirOwnLanguageMatchTheirDocuments() throws {
    let samples = AnalyzedSamples.shared
    let languages = Array(Set(samples.languages.values)).sorted()
    let queries = try String(contentsOfFile: repositoryRoot + "/Samples/queries.tsv", encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
    let qrels = try String(contentsOfFile: repositoryRoot + "/Samples/qrels.tsv", encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
    let session = AnalysisSession(.standard)
    var checked = 0
    for query in queries where ("q20"..."q31").contains(query[0]) {
      let judged = qrels.filter { $0[0] == query[0] }
      let top = judged.map { Int($0[2])! }.max() ?? 0
      // The best documents written in another language than English (an English review can be
      // relevant to a Chinese query without using its words).
      let best = judged.filter { Int($0[2]) == top && top >= 2 }.map { $0[1] }
        .filter { samples.languages[$0] != .english }
      #expect(!best.isEmpty, "\(query[0])")
      let text = query[1].replacingOccurrences(of: "\"", with: " ")
      for doc in best {
        for word in session.queryTerms(text, languages: languages) {
          let found = word.variants.contains { samples.terms[doc]!.contains($0) }
          #expect(found, "\(query[0]) '\(query[1])': \(word.variants) in \(doc)")
        }
        checked += 1
      }
    }
    #expect(checked >= 12)
  }

  /// The same Spanish sample analyzed as English misses the Spanish stems: the language matters.
  @Test func theWrongLanguageLosesTheStems() {
    let samples = AnalyzedSamples.shared
    let text = samples.texts["es-chile-vigilancia.txt"]!
    let asEnglish = Set(Analyzer.standard.analyze(text, language: .english).map(\.term))
    #expect(!asEnglish.contains("vigil"))
    #expect(samples.terms["es-chile-vigilancia.txt"]!.contains("vigil"))
  }
}
