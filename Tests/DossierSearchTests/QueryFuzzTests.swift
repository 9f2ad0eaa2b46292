import DossierTestSupport
import Testing

@testable import DossierSearch

// Lenient mode on a seeded, randomized fuzz of query-ish strings: never throws, never crashes,
// always returns a normalized tree that renders to syntax that parses back to itself.

/// Pieces of query syntax and text, from which the fuzz builds strings.
private let pieces: [String] = [
  "a", "privacy", "Ecuador", "x1", "é", "e\u{301}", "日本", "😀", "👍🏽", "🇪🇨", "\u{200D}", "ß",
  " ", " ", " ", "\t", "\n", "\u{0}", "\u{7}", "\u{1B}", "\u{A0}", "\u{3000}",
  "\"", "\"", "(", ")", "+", "-", "*", "~", "~3", ":", "\\", ".", "..", ">", ">=", "<", "<=", "=",
  "AND", "OR", "NOT", " AND ", " OR ", " NOT ", "and",
  "title:", "heading:", "body:", "author:", "lang:", "type:", "path:", "id:", "date:", "foo:", "Title:",
  "2019", "2020-06", "2021-02-29", "2020-13", "9999", "0001", "0000", "-06", "-30",
  "99999999999999999999",
]

private func randomQueryString(_ rng: inout SeededRandom) -> String {
  let count = Int.random(in: 0...24, using: &rng)
  var text = ""
  for _ in 0..<count { text += pieces.randomElement(using: &rng)! }
  return text
}

/// The depth of a tree, counting every node.
func depth(_ query: Query) -> Int {
  switch query {
  case .term, .prefix, .phrase, .date: return 1
  case .and(let parts), .or(let parts): return 1 + (parts.map(depth).max() ?? 0)
  case .not(let part), .required(let part): return 1 + depth(part)
  }
}

@Test func lenientModeAcceptsAnyQueryishString() throws {
  var rng = SeededRandom(seed: 0xD055_1E4)
  let lenient = QueryParser()
  let lenientAnd = QueryParser(defaultOperator: .and)
  let strict = QueryParser(mode: .strict)
  var valid = 0
  var nonEmpty = 0
  for _ in 0..<4_000 {
    let text = randomQueryString(&rng)
    for parser in [lenient, lenientAnd] {
      let query = try parser.parse(text)  // lenient: must not throw
      #expect(query == query.normalized, "not normalized: \(text.debugDescription)")
      #expect(depth(query) <= 2 * 32 + 2, "too deep: \(text.debugDescription)")
      // Canonical syntax is valid in strict mode, with either default operator, and means
      // the same tree.
      let syntax = query.syntax
      #expect(throws: Never.self, "\(text.debugDescription) → \(syntax.debugDescription)") {
        let again = try strict.parse(syntax)
        #expect(again == query, "\(text.debugDescription) → \(syntax.debugDescription)")
        #expect(try QueryParser(mode: .strict, defaultOperator: .and).parse(syntax) == query)
      }
    }
    // Strict mode agrees with lenient mode whenever lenient found nothing to repair, and its
    // error positions lie inside the query.
    let (query, problems) = lenient.parseWithDiagnostics(text)
    if !query.isEmpty { nonEmpty += 1 }
    do {
      let strictQuery = try strict.parse(text)
      #expect(problems.isEmpty && strictQuery == query, "\(text.debugDescription)")
      valid += 1
    } catch {
      #expect(error == problems.first)
      #expect(error.position <= text.count && error.utf8Offset <= text.utf8.count)
    }
  }
  // The fuzz exercises both outcomes.
  #expect(valid > 200 && nonEmpty > 2_000, "valid \(valid), non-empty \(nonEmpty)")
}

@Test func lenientModeSurvivesPathologicalInput() throws {
  let parser = QueryParser()
  let inputs = [
    String(repeating: "(", count: 100_000),
    String(repeating: ")", count: 100_000),
    String(repeating: "\"", count: 100_001),
    String(repeating: "NOT ", count: 50_000),
    String(repeating: "-", count: 100_000) + "a",
    String(repeating: "\\", count: 100_001),
    String(repeating: "a AND ", count: 50_000),
    String(repeating: "😀", count: 50_000),
    String(repeating: "e\u{301}", count: 50_000),
    String(repeating: "(a OR ", count: 20_000) + "b" + String(repeating: ")", count: 20_000),
  ]
  for input in inputs {
    let query = try parser.parse(input)
    #expect(depth(query) <= 2 * 32 + 2)
    #expect(query == query.normalized)
  }
}
