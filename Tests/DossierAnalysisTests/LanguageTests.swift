import DossierTestSupport
import Foundation
import Testing

@testable import DossierAnalysis

@Suite struct StemmerTests {
  @Test func everyLanguageOfLibstemmerIsReachable() {
    let algorithms = Set(SnowballStemmer.algorithms)
    // libstemmer 2.2 as Debian ships it: 29 algorithms, Porter2 and the original Porter among them.
    #expect(algorithms.count >= 29)
    #expect(algorithms.isSuperset(of: ["english", "porter", "spanish", "russian", "indonesian"]))
    // Every language code the analyzer maps leads to an algorithm that exists.
    for language in Language.stemmed {
      #expect(algorithms.contains(language.snowballAlgorithm!), "\(language)")
    }
    #expect(Set(Language.stemmed.compactMap(\.snowballAlgorithm)).union(["porter"]) == algorithms)
  }

  @Test(arguments: [
    ("english", "surveillance", "surveil"), ("porter", "generalization", "gener"),
    ("english", "generalization", "general"), ("spanish", "vigilancia", "vigil"),
    ("russian", "камеры", "камер"), ("indonesian", "pengawasan", "awas"), ("french", "caméras", "camer"),
    ("german", "überwachungskameras", "uberwachungskameras"), ("turkish", "kameralar", "kamera"),
  ])
  func stems(algorithm: String, word: String, stem: String) {
    #expect(SnowballStemmer(algorithm: algorithm)!.stem(word) == stem)
  }

  @Test func unknownAlgorithmIsAnError() {
    var analyzer = Analyzer.standard
    analyzer.stemming = .algorithm("klingon")
    #expect(throws: AnalyzerError.self) { try analyzer.validate() }
    #expect(SnowballStemmer(algorithm: "klingon") == nil)
  }

  @Test func sessionsOnSeveralThreadsAgree() async {
    // One session per task; the results equal a single-threaded run.
    let texts = (0..<64).map {
      "Report \($0): cameras, surveillance, vigilancia de cámaras, камеры наблюдения"
    }
    let expected = texts.map { Analyzer.standard.analyze($0, language: .english).map(\.term) }
    let results = await withTaskGroup(of: (Int, [String]).self) { group in
      for (i, text) in texts.enumerated() {
        group.addTask { (i, Analyzer.standard.analyze(text, language: .english).map(\.term)) }
      }
      var out = [[String]](repeating: [], count: texts.count)
      for await (i, terms) in group { out[i] = terms }
      return out
    }
    #expect(results == expected)
  }
}

@Suite struct LanguageDetectorTests {
  @Test(arguments: [
    ("The contract covered cameras and the software that was used to analyse their images.", "en"),
    ("El contrato incluía las cámaras y el programa que se usó para analizar las imágenes.", "es"),
    ("Pemerintah memasang kamera dan perangkat lunak yang digunakan untuk pengawasan di kota ini.", "id"),
    ("Le contrat couvrait les caméras et le logiciel qui est utilisé pour analyser les images.", "fr"),
    ("Der Vertrag umfasste die Kameras und die Software, die für die Analyse der Bilder genutzt wird.", "de"),
    ("Контракт включал камеры и программы для анализа изображений.", "ru"),
    ("Контракт охоплював камери та програми і системи для аналізу.", "uk"),
    ("合同包括摄像头和用于分析图像的软件。", "zh"),
    ("契約にはカメラと画像を分析するソフトウェアが含まれていた。", "ja"),
    ("계약에는 카메라와 이미지 분석 소프트웨어가 포함되었다.", "ko"),
    ("Η σύμβαση περιλάμβανε κάμερες και λογισμικό.", "el"),
    ("العقد شمل الكاميرات والبرمجيات", "ar"),
  ])
  func detects(text: String, code: String) {
    #expect(LanguageDetector.detect(text) == Language(code))
  }

  /// The detector's vector count of Latin letters and other-script lead bytes agrees with a
  /// byte-by-byte count, at every length around the 16-byte steps and past the lanes' flush.
  @Test func latinCountsAgreeWithAByteLoop() {
    var rng = SeededRandom(seed: 7)
    let interesting: [UInt8] = [
      0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0xCD, 0xCE, 0xDB, 0xDC, 0xDF, 0xE0, 0xED, 0xEE, 0x20,
    ]
    for count in Array(1..<70) + [2047, 2048, 2049, 4096, 8192] {
      let bytes: [UInt8] = (0..<count).map { _ in
        Bool.random(using: &rng)
          ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
      }
      var letters = 0
      var other = 0
      for b in bytes {
        if (0xCE...0xDB).contains(b) || (0xE0...0xED).contains(b) { other += 1 }
        if (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) { letters += 1 }
      }
      let counts = bytes.withUnsafeBufferPointer { LanguageDetector.latinCounts($0.baseAddress!, count) }
      #expect(counts.letters == letters && counts.other == other, "\(count) bytes")
    }
    // Every lane counting every step: a lane that kept counting past 255 would wrap.
    for byte: UInt8 in [0x61, 0xD0, 0xE4] {
      let bytes = [UInt8](repeating: byte, count: 8192)
      let counts = bytes.withUnsafeBufferPointer { LanguageDetector.latinCounts($0.baseAddress!, 8192) }
      #expect(counts.letters == (byte == 0x61 ? 8192 : 0) && counts.other == (byte == 0x61 ? 0 : 8192))
    }
  }

  @Test func tooLittleToTell() {
    #expect(LanguageDetector.detect("") == nil)
    #expect(LanguageDetector.detect("Huawei ZTE Hikvision") == nil)
    #expect(LanguageDetector.detect("12 34 56") == nil)
  }

  @Test func aDeclaredLanguageWinsAndLuceneEnglishIsAlwaysEnglish() {
    var text = "La vigilancia de las cámaras en la ciudad"
    text.withUTF8 { bytes in
      #expect(Analyzer.standard.language(named: "pt-BR", text: bytes) == Language("pt"))
      #expect(Analyzer.standard.language(named: "bogus tag!", text: bytes) == .spanish)
      #expect(Analyzer.standard.language(named: nil, text: bytes) == .spanish)
      #expect(Analyzer.luceneEnglish.language(named: "es", text: bytes) == .english)
    }
  }

  @Test func languageTags() {
    #expect(Language("en-GB")?.code == "en")
    #expect(Language("ZH_Hant")?.code == "zh")
    #expect(Language("spa")?.code == "es")
    #expect(Language("") == nil)
    #expect(Language("e") == nil)
    #expect(Language("12") == nil)
    #expect(Language("ms")?.snowballAlgorithm == "indonesian")
    #expect(Language("zh")?.snowballAlgorithm == nil)
  }
}

@Suite struct AnalyzerCodingTests {
  @Test func analyzersRoundTripThroughJSON() throws {
    var custom = Analyzer.standard
    custom.stopwords = .list(["foo", "bär"])
    custom.stemming = .algorithm("porter")
    custom.defaultLanguage = .spanish
    custom.cjk = .unigrams
    for analyzer in [Analyzer.standard, .luceneEnglish, custom] {
      let data = try JSONEncoder().encode(analyzer)
      let back = try JSONDecoder().decode(Analyzer.self, from: data)
      #expect(back == analyzer)
      // The same analyzer gives the same terms.
      let text = "Los analistas revisaron 1,200 cámaras foo bär"
      #expect(back.analyze(text) == analyzer.analyze(text))
    }
  }

  @Test func aBadLanguageInStoredSettingsIsAnError() {
    let json = #"{"profile":"standard","defaultLanguage":"not a tag!"}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Analyzer.self, from: Data(json.utf8)) }
  }
}

@Suite struct QueryTermsTests {
  @Test func aQueryWordStandsForItsTermInEachLanguage() {
    let session = AnalysisSession(.standard)
    let terms = session.queryTerms("cámaras de vigilancia", languages: [.english, .spanish])
    #expect(terms.map(\.position) == [0, 1, 2])
    #expect(terms[0].variants == ["camara", "cam"])
    // "de" is a Spanish stopword but an English word.
    #expect(terms[1].variants == ["de"])
    #expect(terms[2].variants == ["vigilancia", "vigil"])
    // A word that is a stopword everywhere has no entry.
    #expect(session.queryTerms("the cameras", languages: [.english]).map(\.position) == [1])
  }

  @Test func cjkQueriesMatchWhateverTheLanguages() {
    let session = AnalysisSession(.standard)
    let terms = session.queryTerms("监控摄像头", languages: [.english, .spanish, .chinese])
    #expect(terms.map(\.variants) == [["监控"], ["控摄"], ["摄像"], ["像头"]])
  }
}

@Suite struct TextOffsetsTests {
  @Test func bytesToCharacters() {
    let text = "Ñandú 東京 😀x"
    let offsets = TextOffsets(text)
    #expect(offsets.scalarOffset(ofByte: 0) == 0)
    #expect(offsets.scalarOffset(ofByte: 7) == 5)
    #expect(offsets.scalarOffset(ofByte: 8) == 6)
    #expect(offsets.scalarOffset(ofByte: 14) == 8)
    // The emoji is one scalar but two UTF-16 units.
    #expect(offsets.scalarOffset(ofByte: 19) == 10)
    #expect(offsets.utf16Offset(ofByte: 19) == 11)
    // Inside a character: its start. Past the end: the end.
    #expect(offsets.scalarOffset(ofByte: 9) == 6)
    #expect(offsets.scalarOffset(ofByte: 1000) == text.unicodeScalars.count)
  }

  @Test func agreesWithStringIndicesOnLongText() {
    var rng = SeededRandom(seed: 7)
    let alphabet = ["a", "é", "東", "😀", " ", "я"]
    let text = (0..<2000).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    let offsets = TextOffsets(text)
    var byte = 0
    for (n, scalar) in text.unicodeScalars.enumerated() {
      #expect(offsets.scalarOffset(ofByte: byte) == n)
      byte += String(scalar).utf8.count
    }
  }
}
