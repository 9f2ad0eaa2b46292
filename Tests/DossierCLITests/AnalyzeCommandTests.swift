import DossierTestSupport
import Foundation
import Testing

@Suite("dossier analyze, end to end")
struct AnalyzeCommandTests {
  @Test func jsonListsTermsPositionsAndOffsets() throws {
    let out = try CLIRunner.run(["analyze", "--json", "--lang", "es", "Las cámaras de Quito"])
    #expect(out.status == 0)
    let object = try #require(out.jsonLines.first)
    #expect(object["profile"] as? String == "standard")
    #expect(object["language"] as? String == "es")
    #expect(object["language_detected"] as? Bool == false)
    #expect(object["stopwords_removed"] as? Int == 2)
    let tokens = try #require(object["tokens"] as? [[String: Any]])
    #expect(tokens.map { $0["term"] as? String } == ["cam", "quit"])
    #expect(tokens.map { $0["position"] as? Int } == [1, 3])
    // "cámaras" is 8 bytes but 7 characters; "Quito" starts at byte 16, character 15.
    #expect(tokens[0]["start"] as? Int == 4 && tokens[0]["end"] as? Int == 12)
    #expect(tokens[0]["char_start"] as? Int == 4 && tokens[0]["char_end"] as? Int == 11)
    #expect(tokens[1]["start"] as? Int == 16 && tokens[1]["char_start"] as? Int == 15)
    #expect(tokens.map { $0["kind"] as? String } == ["word", "word"])
  }

  @Test func readableTableAndLanguageDetection() throws {
    let out = try CLIRunner.run(["analyze", "Камеры", "Москвы", "распознают", "лица"])
    #expect(out.status == 0)
    let lines = out.stdout.split(separator: "\n")
    #expect(lines.first == "profile standard, language ru (detected), 4 tokens, 0 stopwords removed")
    #expect(lines.count == 6)
    #expect(lines[2].hasPrefix("0    камер "))
    #expect(lines[2].hasSuffix("Камеры"))
  }

  @Test func profilesAndStemmerOverride() throws {
    let lucene = try CLIRunner.run([
      "analyze", "--json", "--profile", "lucene-english", "The Ministry's catchers",
    ])
    let terms = (lucene.jsonLines.first?["tokens"] as? [[String: Any]])?.map { $0["term"] as? String }
    #expect(terms == ["ministri", "catcher"])
    let none = try CLIRunner.run([
      "analyze", "--json", "--stemmer", "none", "--keep-stopwords", "The catchers",
    ])
    let raw = (none.jsonLines.first?["tokens"] as? [[String: Any]])?.map { $0["term"] as? String }
    #expect(raw == ["the", "catchers"])
  }

  @Test func readsStandardInput() throws {
    let out = try CLIRunner.run(["analyze", "--json", "--lang", "en"], stdin: "surveillance cameras\n")
    let terms = (out.jsonLines.first?["tokens"] as? [[String: Any]])?.map { $0["term"] as? String }
    #expect(terms == ["surveil", "camera"])
  }

  @Test func queryModeShowsTheVariantsPerLanguage() throws {
    let out = try CLIRunner.run([
      "analyze", "--query", "--json", "--lang", "en", "--lang", "es", "cámaras vigilancia",
    ])
    #expect(out.status == 0)
    let words = try #require(out.jsonLines.first?["words"] as? [[String: Any]])
    #expect(words.map { $0["variants"] as? [String] } == [["camara", "cam"], ["vigilancia", "vigil"]])
  }

  @Test func usageErrorsExitWithTwo() throws {
    for arguments in [
      ["analyze", "--profile", "klingon", "x"], ["analyze", "--lang", "12", "x"],
      ["analyze", "--stemmer", "klingon", "x"], ["analyze", "--lang", "en", "--lang", "es", "x"],
    ] {
      let out = try CLIRunner.run(arguments)
      #expect(out.status == 2, "\(arguments)")
      #expect(out.stderr.contains("dossier:") || out.stderr.contains("Error:"), "\(arguments)")
    }
    let out = try CLIRunner.run(["analyze", "--stemmer", "klingon", "x"])
    #expect(out.stderr.contains("libstemmer offers: arabic"))
  }
}
