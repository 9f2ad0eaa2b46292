import DossierTestSupport
import Testing

@testable import DossierAnalysis

/// Renders tokens as `term@position`, space-separated: compact golden streams.
func stream(_ text: String, _ language: Language? = nil, analyzer: Analyzer = .standard) -> String {
  analyzer.analyze(text, language: language).map { "\($0.term)@\($0.position)" }.joined(separator: " ")
}

/// Golden token streams of the standard profile. Positions count removed stopwords, so a gap
/// shows where one was (`the`, `de`, `di`).
@Suite struct GoldenTokenTests {
  @Test(arguments: [
    // English: Porter2 stems, possessives and the 33 stopwords.
    (
      "en", "The cameras' operators weren't watching; surveillance companies sold 1,200 systems in 2019.",
      "camera@1 oper@2 weren't@3 watch@4 surveil@5 compani@6 sold@7 1,200@8 system@9 2019@11"
    ),
    // Spanish: the Spanish stemmer sees the accents, diacritic folding strips what is left.
    (
      "es",
      "Los periodistas mexicanos denunciaron el espionaje con Pegasus; las autoridades negaron la compra.",
      "period@1 mexican@2 denunci@3 espionaj@5 pegasus@7 autor@9 neg@10 compr@12"
    ),
    ("es", "México y las cámaras de reconocimiento facial", "mexic@0 cam@3 reconoc@5 facial@6"),
    // Russian: Cyrillic folded and stemmed, no diacritics stripped (й stays й).
    (
      "ru", "Камеры Москвы распознают лица пассажиров метро.",
      "камер@0 москв@1 распозна@2 лиц@3 пассажир@4 метр@5"
    ),
    (
      "ru", "Оперативно-розыскных мероприятий и сбор данных", "оперативн@0 розыскн@1 мероприят@2 сбор@4 дан@5"
    ),
    // Malay and Indonesian share the Indonesian stemmer (prefixes and suffixes removed).
    (
      "ms", "Kerajaan Malaysia memasang kamera pengawasan di Kuala Lumpur.",
      "raja@0 malaysia@1 pasang@2 kamera@3 awas@4 kuala@6 lumpur@7"
    ),
    (
      "id", "Pemerintah DKI Jakarta memasang ribuan kamera CCTV.",
      "perintah@0 dki@1 jakarta@2 pasang@3 ribu@4 kamera@5 cctv@6"
    ),
    // Chinese and Japanese: overlapping bigrams across Han, Hiragana and Katakana.
    ("zh", "海康威视的摄像头", "海康@0 康威@1 威视@2 视的@3 的摄@4 摄像@5 像头@6"),
    ("ja", "監視カメラのデータ", "監視@0 視カ@1 カメ@2 メラ@3 ラの@4 のデ@5 デー@6 ータ@7"),
    // Half-width Katakana becomes full-width, with its voicing mark composed.
    ("ja", "ﾃﾞｰﾀ", "デー@0 ータ@1"),
    // Korean: Hangul runs bigrammed, apart from the Latin letters beside them.
    ("ko", "서울시 CCTV 통합관제센터", "서울@0 울시@1 cctv@2 통합@3 합관@4 관제@5 제센@6 센터@7"),
    // A lone CJK character stays a unigram.
    ("en", "Huawei 华 and 华为", "huawei@0 华@1 华为@3"),
    // Hyphens split words (UAX #29); stopwords inside still take positions.
    ("en", "state-of-the-art IMSI-catchers e-mail", "state@0 art@3 imsi@4 catcher@5 e@6 mail@7"),
    // Apostrophes: inside a word they join; a possessive 's is dropped; a trailing one is not
    // part of the word.
    (
      "en", "rock'n'roll O'Neil's don't ’tis dogs' Ministry’s",
      "rock'n'rol@0 o'neil@1 don't@2 tis@3 dog@4 ministri@5"
    ),
    // Numbers keep their separators between digits; other punctuation splits.
    (
      "en", "3.14 1,000 1,000.5 v2.0 10:30 2019-2021 $5.99 50% 4G/5G",
      "3.14@0 1,000@1 1,000.5@2 v2.0@3 10@4 30@5 2019@6 2021@7 5.99@8 50@9 4g@10 5g@11"
    ),
    // Emoji, flags and emoticons are not tokens and take no position.
    ("en", "cameras 📷 and 👩‍💻 coders 🇰🇪 :-)", "camera@0 coder@2"),
    // URLs and e-mail addresses: split at '/', ':', '?', '#', '@'; dots between letters stay.
    (
      "en", "https://www.example.org/reports/index.html?id=7#top",
      "https@0 www.example.org@1 report@2 index.html@3 id@4 7@5 top@6"
    ),
    ("en", "write to press.office@example.org today", "write@0 press.offic@2 example.org@3 today@4"),
    // Normalization: invisible characters, full-width letters, ligatures, full case folding,
    // diacritics.
    (
      "en", "soft\u{AD}hyphen zero\u{200D}width ＦＵＬＬ ﬁnal Straße CAFÉ Ǆemal",
      "softhyphen@0 zerowidth@1 full@2 final@3 strass@4 cafe@5 dzemal@6"
    ),
    // Greek: full case folding maps final sigma like sigma; tonos folded away.
    ("el", "Στην Αθήνα ΟΔΥΣΣΕΥΣ", "στην@0 αθην@1 οδυσσε@2"),
  ])
  func standardProfile(language: String, text: String, expected: String) {
    #expect(stream(text, Language(language)!) == expected)
  }

  @Test func invalidUTF8IsASeparatorNeverPartOfAToken() {
    let bytes: [UInt8] =
      Array("Bad ".utf8) + [0xFF, 0xFE] + Array(" bytes".utf8) + [0xC3] + Array(" caf".utf8)
      + [0xC3, 0xA9] + [0xED, 0xA0, 0x80] + Array("x end".utf8)
    let session = AnalysisSession(.standard)
    var out = AnalyzedText()
    bytes.withUnsafeBufferPointer { session.analyze($0, language: .english, into: &out) }
    #expect(out.tokens.map(\.term) == ["bad", "byte", "cafe", "x", "end"])
    // "café" is bytes 14..<19; the encoded surrogate after it (19..<22) is in no token.
    #expect(out.tokens[2].startOffset == 14 && out.tokens[2].endOffset == 19)
    #expect(out.tokens[3].startOffset == 22)
  }

  @Test func mixedScriptsInOneText() {
    // Each script forms its own words; the detector sees mostly Cyrillic.
    let text = "Huawei построила систему «Безопасный город» 华为"
    var copy = text
    let language = copy.withUTF8 { Analyzer.standard.language(named: nil, text: $0) }
    #expect(language == .russian)
    #expect(stream(text, language) == "huawei@0 постро@1 сист@2 безопасн@3 город@4 华为@5")
  }

  @Test func luceneEnglishProfile() {
    let text = "The Ministry's IMSI-catchers weren't used in 2019; café Straße is as us"
    // Lowercase only (ß kept), no diacritic folding, original Porter, words of two letters unstemmed.
    #expect(
      stream(text, analyzer: .luceneEnglish)
        == "ministri@1 imsi@2 catcher@3 weren't@4 us@5 2019@7 café@8 straße@9 us@12")
    // Lucene's Porter departures (-bli, -logi), its emoji tokens, and Java's lowercase (µ stays).
    #expect(
      stream("possibly biology embryology ostensibly assembly © ™ 👩‍💻 15µm ϵ", analyzer: .luceneEnglish)
        == "possibl@0 biologi@1 embryolog@2 ostens@3 assembl@4 ©@5 ™@6 👩‍💻@7 15µm@8 ϵ@9")
    // Lucene's tokenizer gives each ideograph alone and keeps Katakana runs whole.
    #expect(stream("東京のカメラ", analyzer: .luceneEnglish) == "東@0 京@1 の@2 カメラ@3")
  }

  @Test func offsetsPointAtTheSourceWord() {
    let text = "Безопасный город: 华为 cameras"
    let utf8 = Array(text.utf8)
    let tokens = Analyzer.standard.analyze(text, language: .russian)
    let sources = tokens.map { String(decoding: utf8[$0.startOffset..<$0.endOffset], as: UTF8.self) }
    #expect(sources == ["Безопасный", "город", "华为", "cameras"])
  }

  @Test func positionsContinueAcrossCallsForMultiValuedFields() {
    let session = AnalysisSession(.standard)
    var out = AnalyzedText()
    for value in ["first heading", "the second heading"] {
      var v = value
      v.withUTF8 { session.analyze($0, language: .english, into: &out) }
    }
    #expect(out.positions == [0, 1, 3, 4])
    #expect(out.nextPosition == 5)
    #expect(out.stopwordCount == 1)
  }

  @Test func overlongWordsAreDroppedOrSplit() {
    let long = String(repeating: "a", count: 300)
    #expect(stream("x \(long) y") == "x@0 y@2")
    let lucene = Analyzer.luceneEnglish.analyze("x \(long) y")
    #expect(lucene.map(\.term.count) == [1, 255, 45, 1])
    #expect(lucene.map(\.position) == [0, 1, 2, 3])
  }
}
