import DossierTestSupport
import Testing

@testable import DossierAnalysis

/// The departures of Lucene's Porter stemmer, rule by rule, on libstemmer's output.
@Suite struct LucenePorterTests {
  static func apply(_ word: String) -> String {
    var bytes = Array(word.utf8)
    _LucenePorter.applyDepartures(&bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test(arguments: [
    // -logi -> -log when the stem before has a measure above zero.
    ("embryologi", "embryolog"), ("terminologi", "terminolog"),
    // "bio" has measure zero: unchanged, as in Lucene.
    ("biologi", "biologi"),
    // -bli -> -ble, then step 4 removes -ible/-able when the measure is above one...
    ("ostensibli", "ostens"),
    // ...else step 5a drops the e (measure above one, or one without a final
    // consonant-vowel-consonant, which "-bl" never is)...
    ("possibli", "possibl"), ("assembli", "assembl"), ("humbli", "humbl"),
    // ...and a stem of measure zero before -bli keeps it.
    ("nobli", "nobli"),
    // Words not ending in -bli or -logi are left alone.
    ("camera", "camera"), ("ii", "ii"), ("li", "li"),
  ])
  func departures(_ input: String, _ expected: String) {
    #expect(Self.apply(input) == expected)
  }

  @Test func measureFollowsPorter() {
    // The examples of Porter's paper: m=0 tr, ee, tree, y, by; m=1 trouble, oats, trees, ivy;
    // m=2 troubles, private, oaten, orrery.
    for (word, m) in [
      ("tr", 0), ("ee", 0), ("tree", 0), ("y", 0), ("by", 0), ("trouble", 1), ("oats", 1), ("trees", 1),
      ("ivy", 1), ("troubles", 2), ("private", 2), ("oaten", 2), ("orrery", 2),
    ] {
      let w = Array(word.utf8)
      #expect(_LucenePorter.measure(w, upTo: w.count) == m, "\(word)")
    }
  }
}
