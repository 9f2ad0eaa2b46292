import DossierTestSupport
import Testing

@testable import DossierAnalysis

/// Case folding, NFKC and diacritic folding, each alone (stemming and stopwords off).
@Suite struct NormalizationTests {
  static func terms(_ text: String, _ configure: (inout Analyzer) -> Void = { _ in }) -> [String] {
    var analyzer = Analyzer.standard
    analyzer.stemming = .none
    analyzer.stopwords = .none
    configure(&analyzer)
    return analyzer.analyze(text, language: .english).map(\.term)
  }

  @Test func fullCaseFoldingIsNotLowercasing() {
    #expect(
      Self.terms("Straße ΣΊΣΥΦΟΣ ǅ ᾼ", { $0.diacriticFolding = false }) == ["strasse", "σίσυφοσ", "dž", "αι"])
    // A plain lowercase filter (lucene-english) keeps one-to-one folds only.
    #expect(
      Self.terms(
        "Straße ΣΊΣΥΦΟΣ",
        {
          $0.caseFolding = false; $0.diacriticFolding = false
        }) == ["straße", "σίσυφοσ"])
  }

  @Test func compatibilityForms() {
    // ½ is a symbol, not a word (UAX #29), so it gives no token.
    #expect(Self.terms("ＲＥＰＯＲＴ ﬁle ½ Ⅻ ｶﾒﾗ", { $0.cjk = .unigrams }) == ["report", "file", "xii", "カメラ"])
    #expect(Self.terms("ＲＥＰＯＲＴ", { $0.compatibilityNormalization = false }) == ["ｒｅｐｏｒｔ"])
  }

  @Test func decomposedAndPrecomposedInputAgree() {
    #expect(Self.terms("Me\u{301}xico", { $0.diacriticFolding = false }) == ["méxico"])
    #expect(Self.terms("Méxicó") == Self.terms("Me\u{301}xico\u{301}"))
  }

  @Test func diacriticFolding() {
    #expect(
      Self.terms("São Paulo Łódź Ørsted Ñandú Ålesund Æther Œuvre ёлка") == [
        "sao", "paulo", "lodz", "orsted", "nandu", "alesund", "aether", "oeuvre", "елка",
      ])
    // Letters that are not Latin, Greek or yo keep their marks: й is a letter of its own.
    #expect(Self.terms("йод") == ["йод"])
    #expect(Self.terms("São", { $0.diacriticFolding = false }) == ["são"])
  }

  @Test func invisibleCharactersInsideWords() {
    // A zero-width space is a space: it separates words.
    #expect(Self.terms("sur\u{AD}veil\u{200B}lance") == ["surveil", "lance"])
    #expect(Self.terms("sur\u{AD}veillance") == ["surveillance"])
    #expect(Self.terms("zero\u{200D}width\u{FE0F}") == ["zerowidth"])
  }

  @Test func everyCaseFoldingMappingAppliesToItsLetter() {
    // Each (C and F) mapping of CaseFolding.txt, through the analyzer, on a letter alone.
    let tables = _UnicodeTables.shared
    var checked = 0
    for (k, key) in _caseFoldKeys.enumerated() {
      guard tables.wordClass(of: key) == .aLetter, let scalar = Unicode.Scalar(key) else { continue }
      let entry = Int(_caseFoldIndex[k])
      let expected = String(
        String.UnicodeScalarView(
          _caseFoldPool[(entry >> 2)..<((entry >> 2) + (entry & 3))].map { Unicode.Scalar($0)! }))
      var analyzer = Analyzer.standard
      analyzer.stemming = .none
      analyzer.stopwords = .none
      analyzer.diacriticFolding = false
      analyzer.compatibilityNormalization = false
      let terms = analyzer.analyze("x" + String(Character(scalar)), language: .english).map(\.term)
      #expect(terms == ["x" + expected], "U+\(String(key, radix: 16))")
      checked += 1
    }
    #expect(checked > 1000)
  }
}
