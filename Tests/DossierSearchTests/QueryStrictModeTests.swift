import DossierTestSupport
import Testing

@testable import DossierSearch

// Strict mode: the first problem, its message and where it is.

struct StrictCase: Sendable, CustomTestStringConvertible {
  let text: String
  let message: String
  let position: Int
  let utf8Offset: Int
  var testDescription: String { text }
  init(_ text: String, _ message: String, _ position: Int, utf8 utf8Offset: Int? = nil) {
    self.text = text
    self.message = message
    self.position = position
    self.utf8Offset = utf8Offset ?? position
  }
}

let strictCases: [StrictCase] = [
  StrictCase(#"privacy AND "open"#, "unclosed quote", 12),
  StrictCase(#"title:"open"#, "unclosed quote", 6),
  StrictCase("a AND", "'AND' needs a term after it", 2),
  StrictCase("AND a", "'AND' needs a term before it", 0),
  StrictCase("a OR", "'OR' needs a term after it", 2),
  StrictCase("OR a", "'OR' needs a term before it", 0),
  StrictCase("a NOT", "'NOT' needs a term after it", 2),
  StrictCase("x (a b", "'(' is never closed", 2),
  StrictCase("a b)", "')' has no matching '('", 3),
  StrictCase("a () b", "empty group", 2),
  StrictCase(
    "a - b", "'-' must be directly followed by a word, phrase or group (write \\- to search for it)", 2),
  StrictCase("a -* b", "'*' must follow the start of a word", 3),
  StrictCase("*", "'*' must follow the start of a word", 0),
  StrictCase("fo*o", "'*' is allowed only at the end of a word (write \\* to search for it)", 2),
  StrictCase("word~2", "'~' (slop) may follow only a quoted phrase (write \\~ to search for it)", 4),
  StrictCase(#""a b"~x"#, "'~' after a phrase must be followed by a number (the slop)", 5),
  StrictCase(#""a b"~1001"#, "slop is larger than 1000", 5),
  StrictCase(#"a """#, "empty phrase", 2),
  StrictCase("title: x", "'title:' must be directly followed by a word or a phrase", 0),
  StrictCase(
    "x foo:bar",
    "unknown field 'foo' (fields: title, heading, body, author, lang, type, path, id, date; "
      + "write \\: to search for the text)", 2),
  StrictCase("date:", "'date:' must be directly followed by a date range such as 2019..2021", 0),
  StrictCase(
    "date:2020-13",
    "invalid date range (expected YYYY, YYYY-MM or YYYY-MM-DD, as D, D..D, D.., ..D, >=D, >D, <=D or <D)", 0),
  StrictCase("date:2021..2019", "date range ends before it starts", 0),
  StrictCase("date:>9999-12-31", "date range is outside 0001-01-01..9999-12-31", 0),
  StrictCase(#"a \  b"#, "empty word", 2),
  StrictCase(#"a\"#, "'\\' at the end of the query escapes nothing", 1),
  // The earliest problem wins, whichever stage finds it.
  StrictCase(#"a) "b"#, "')' has no matching '('", 1),
  // Positions count characters as a person sees them; utf8Offset counts bytes.
  StrictCase("e\u{301} \"x", "unclosed quote", 2, utf8: 4),
  StrictCase("👍🏽 \"x", "unclosed quote", 2, utf8: 9),
  StrictCase("日本 AND", "'AND' needs a term after it", 3, utf8: 7),
]

@Test(arguments: strictCases)
func strictModeReportsTheFirstProblem(_ expected: StrictCase) {
  let parser = QueryParser(mode: .strict)
  do {
    let query = try parser.parse(expected.text)
    Issue.record("expected an error, got \(query)")
  } catch {
    #expect(error.message == expected.message)
    #expect(error.position == expected.position)
    #expect(error.utf8Offset == expected.utf8Offset)
    #expect(error.description == "\(expected.message) at \(expected.position)")
  }
}

@Test func strictModeLimits() {
  let options = QueryParser.Options(mode: .strict, maxDepth: 3, maxLength: 20, maxClauses: 2)
  let parser = QueryParser(options: options)
  #expect(throws: QuerySyntaxError(message: "groups and NOTs nest deeper than 3", position: 3, utf8Offset: 3))
  {
    try parser.parse("((((a))))")
  }
  #expect(
    throws: QuerySyntaxError(message: "groups and NOTs nest deeper than 3", position: 12, utf8Offset: 12)
  ) {
    try parser.parse("NOT NOT NOT NOT a")
  }
  #expect(
    throws: QuerySyntaxError(message: "more than 2 terms; the rest are ignored", position: 4, utf8Offset: 4)
  ) {
    try parser.parse("a b c")
  }
  #expect(
    throws: QuerySyntaxError(
      message: "query is longer than 20 bytes; the rest is ignored", position: 20, utf8Offset: 20)
  ) {
    try parser.parse(String(repeating: "x", count: 25))
  }
  #expect((try? parser.parse("((a)) b")) == .or([.term("a"), .term("b")]))
}

@Test func diagnosticsListEveryProblemInOrder() {
  let (query, problems) = QueryParser(mode: .strict).parseWithDiagnostics(#"a) "b AND"#)
  #expect(query == .or([.term("a"), .term("b")]))
  #expect(problems.map(\.position) == [1, 3, 6])
  #expect(
    problems.map(\.message) == ["')' has no matching '('", "unclosed quote", "'AND' needs a term after it"])
}
