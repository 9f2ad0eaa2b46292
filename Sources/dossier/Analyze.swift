import ArgumentParser
import Dossier

/// `dossier analyze`: shows the terms a text becomes, to explain why a query did or did not
/// match.
struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the tokens the analyzer makes of a text.",
    discussion: """
      Prints each token's term, position and offsets (UTF-8 bytes and characters). Without
      TEXT, reads standard input. Without --lang, the standard profile detects the language
      as it would for a document that names none. --query shows instead the terms each query
      word matches across the given languages (--lang, repeatable).
      """
  )

  @Argument(help: "The text to analyze (words are joined by spaces); standard input when absent.")
  var text: [String] = []

  @Option(help: "Analyzer profile: standard or lucene-english.")
  var profile: String = "standard"

  @Option(
    name: .customLong("lang"), help: "Language code (en, es, ru, id, zh, ...); repeatable with --query.")
  var languages: [String] = []

  @Option(help: "Use this libstemmer algorithm for every language (porter, english, spanish, ...), or none.")
  var stemmer: String?

  @Flag(help: "Keep stopwords.")
  var keepStopwords = false

  @Flag(help: "Show the terms each word matches as a query in every --lang language.")
  var query = false

  @Flag(help: "Print JSON (one object) instead of a table.")
  var json = false

  func validate() throws {
    guard Analyzer.Profile(rawValue: profile) != nil else {
      throw ValidationError(AnalyzerError.unknownProfile(profile).description)
    }
    for code in languages where Language(code) == nil {
      throw ValidationError("--lang: not a language code: \(code)")
    }
    if languages.count > 1 && !query { throw ValidationError("give one --lang (several only with --query)") }
  }

  func run() throws {
    var analyzer = Analyzer(profile: Analyzer.Profile(rawValue: profile)!)
    if let stemmer { analyzer.stemming = stemmer == "none" ? .none : .algorithm(stemmer) }
    if keepStopwords { analyzer.stopwords = .none }
    do { try analyzer.validate() } catch { throw CLIFailure(status: .usage, message: error.description) }
    var input = text.joined(separator: " ")
    if text.isEmpty {
      var bytes: [UInt8] = []
      while let line = readLine(strippingNewline: false) { bytes.append(contentsOf: line.utf8) }
      input = String(decoding: bytes, as: UTF8.self)
    }
    let session = AnalysisSession(analyzer)
    if query {
      try printQuery(session, input)
      return
    }
    var detected = false
    let language: Language
    if let code = languages.first {
      language = Language(code)!
    } else {
      var copy = input
      language = copy.withUTF8 { analyzer.language(named: nil, text: $0) }
      detected = analyzer.profile == .standard
    }
    let out = session.analyze(input, language: language)
    let offsets = TextOffsets(input)
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("profile")
        o.string(analyzer.profile.rawValue)
        o.key("language")
        o.string(language.code)
        o.key("language_detected")
        o.bool(detected)
        o.key("stopwords_removed")
        o.number(out.stopwordCount)
        o.key("tokens")
        o.array { a in
          for t in out.tokens {
            a.object { o in
              o.key("term")
              o.string(t.term)
              o.key("position")
              o.number(t.position)
              o.key("start")
              o.number(t.startOffset)
              o.key("end")
              o.number(t.endOffset)
              o.key("char_start")
              o.number(offsets.scalarOffset(ofByte: t.startOffset))
              o.key("char_end")
              o.number(offsets.scalarOffset(ofByte: t.endOffset))
              o.key("kind")
              o.string(t.kind.description)
            }
          }
        }
      }
      Terminal.out(w.output + "\n")
      return
    }
    var s = "profile \(analyzer.profile.rawValue), language \(language.code)\(detected ? " (detected)" : "")"
    s += ", \(out.count) tokens, \(out.stopwordCount) stopwords removed\n"
    s += "pos  term                  bytes      chars      kind         source\n"
    let utf8 = Array(input.utf8)
    for t in out.tokens {
      let source = String(decoding: utf8[t.startOffset..<t.endOffset], as: UTF8.self)
      let bytes = "\(t.startOffset)..\(t.endOffset)"
      let chars =
        "\(offsets.scalarOffset(ofByte: t.startOffset))..\(offsets.scalarOffset(ofByte: t.endOffset))"
      s +=
        pad("\(t.position)", 5) + pad(t.term, 22) + pad(bytes, 11) + pad(chars, 11)
        + pad(t.kind.description, 13)
        + source + "\n"
    }
    Terminal.out(s)
  }

  private func printQuery(_ session: AnalysisSession, _ input: String) throws {
    let languages = languages.isEmpty ? [session.analyzer.defaultLanguage] : languages.map { Language($0)! }
    let terms = session.queryTerms(input, languages: languages)
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("languages")
        o.stringArray(languages.map(\.code))
        o.key("words")
        o.array { a in
          for t in terms {
            a.object { o in
              o.key("position")
              o.number(t.position)
              o.key("start")
              o.number(t.startOffset)
              o.key("end")
              o.number(t.endOffset)
              o.key("variants")
              o.stringArray(t.variants)
            }
          }
        }
      }
      Terminal.out(w.output + "\n")
      return
    }
    let utf8 = Array(input.utf8)
    var s = "languages \(languages.map(\.code).joined(separator: ", "))\n"
    for t in terms {
      let source = String(decoding: utf8[t.startOffset..<t.endOffset], as: UTF8.self)
      s += pad("\(t.position)", 5) + pad(source, 22) + t.variants.joined(separator: " | ") + "\n"
    }
    Terminal.out(s)
  }

  private func pad(_ text: String, _ width: Int) -> String {
    let count = text.unicodeScalars.count
    return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
  }
}
