import DossierTestSupport
import Testing

@testable import DossierSearch

// Golden cases: one query string per construct, and the tree it must parse to.

private func day(_ y: Int, _ m: Int, _ d: Int) -> QueryDate { QueryDate(year: y, month: m, day: d)! }

private func parse(_ text: String, _ op: QueryOperator = .or) -> Query {
  Query(parsing: text, defaultOperator: op)
}

private func strict(_ text: String, _ op: QueryOperator = .or) throws -> Query {
  try QueryParser(mode: .strict, defaultOperator: op).parse(text)
}

struct GoldenCase: Sendable, CustomTestStringConvertible {
  let text: String
  let query: Query
  var testDescription: String { text }
  init(_ text: String, _ query: Query) {
    self.text = text
    self.query = query
  }
}

/// Valid syntax: strict and lenient agree.
let validCases: [GoldenCase] = [
  GoldenCase("privacy", .term("privacy")),
  GoldenCase("  privacy\t", .term("privacy")),
  GoldenCase("facial recognition", .or([.term("facial"), .term("recognition")])),
  GoldenCase(#""safe city""#, .phrase("safe city")),
  GoldenCase(#""safe city"~3"#, .phrase("safe city", slop: 3)),
  GoldenCase(#""safe city"~0"#, .phrase("safe city")),
  GoldenCase(#""say \"hi\" \\o/""#, .phrase(#"say "hi" \o/"#)),
  GoldenCase("a AND b", .and([.term("a"), .term("b")])),
  GoldenCase("a OR b", .or([.term("a"), .term("b")])),
  GoldenCase("a AND b AND c", .and([.term("a"), .term("b"), .term("c")])),
  GoldenCase("NOT a", .not(.term("a"))),
  GoldenCase("a NOT b", .or([.term("a"), .not(.term("b"))])),
  GoldenCase("a AND NOT b", .and([.term("a"), .not(.term("b"))])),
  GoldenCase("NOT NOT a", .not(.not(.term("a")))),
  GoldenCase("+a", .required(.term("a"))),
  GoldenCase("-a", .not(.term("a"))),
  GoldenCase("a +b -c", .or([.term("a"), .required(.term("b")), .not(.term("c"))])),
  GoldenCase(#"-"safe city""#, .not(.phrase("safe city"))),
  GoldenCase("-(a b)", .not(.or([.term("a"), .term("b")]))),
  GoldenCase("+title:x", .required(.term("x", field: .title))),
  GoldenCase("(a)", .term("a")),
  GoldenCase("(a OR b) AND c", .and([.or([.term("a"), .term("b")]), .term("c")])),
  GoldenCase("((a OR b)) OR c", .or([.or([.term("a"), .term("b")]), .term("c")])),
  GoldenCase("NOT(a)", .not(.term("a"))),
  // Precedence: NOT > AND > OR.
  GoldenCase("a OR b AND c", .or([.term("a"), .and([.term("b"), .term("c")])])),
  GoldenCase("a AND b OR c", .or([.and([.term("a"), .term("b")]), .term("c")])),
  GoldenCase("NOT a AND b", .and([.not(.term("a")), .term("b")])),
  GoldenCase("a b AND c", .or([.term("a"), .and([.term("b"), .term("c")])])),
  // Operators are upper case; lower case is a word.
  GoldenCase("cats and dogs", .or([.term("cats"), .term("and"), .term("dogs")])),
  // Fields.
  GoldenCase("title:privacy", .term("privacy", field: .title)),
  GoldenCase("Title:privacy", .term("privacy", field: .title)),
  GoldenCase(#"heading:"safe city""#, .phrase("safe city", field: .heading)),
  GoldenCase(#"body:"safe city"~2"#, .phrase("safe city", field: .body, slop: 2)),
  GoldenCase("author:Smith", .term("Smith", field: .author)),
  GoldenCase("lang:de", .term("de", field: .lang)),
  GoldenCase("type:html", .term("html", field: .type)),
  GoldenCase("path:reports/2020/kenya.html", .term("reports/2020/kenya.html", field: .path)),
  GoldenCase("id:a:b", .term("a:b", field: .id)),
  GoldenCase("title:AND", .term("AND", field: .title)),
  // Prefixes.
  GoldenCase("priv*", .prefix("priv")),
  GoldenCase("title:priv*", .prefix("priv", field: .title)),
  GoldenCase("path:reports/*", .prefix("reports/", field: .path)),
  // Escapes.
  GoldenCase(#"a\*"#, .term("a*")),
  GoldenCase(#"\AND"#, .term("AND")),
  GoldenCase(#"\-5"#, .term("-5")),
  GoldenCase(#"new\ york"#, .term("new york")),
  GoldenCase(#"foo\:bar"#, .term("foo:bar")),
  GoldenCase(#"c\(x\)"#, .term("c(x)")),
  // Words keep inner punctuation.
  GoldenCase("e-mail C++ wi-fi", .or([.term("e-mail"), .term("C++"), .term("wi-fi")])),
  GoldenCase("10:30", .term("10:30")),
  GoldenCase("日本語 😀", .or([.term("日本語"), .term("😀")])),
  // Dates.
  GoldenCase("date:2020", .date(from: day(2020, 1, 1), through: day(2020, 12, 31))),
  GoldenCase("date:2019..2021", .date(from: day(2019, 1, 1), through: day(2021, 12, 31))),
  GoldenCase("date:2019-03..2021-06-30", .date(from: day(2019, 3, 1), through: day(2021, 6, 30))),
  GoldenCase("date:2020-02", .date(from: day(2020, 2, 1), through: day(2020, 2, 29))),
  GoldenCase("date:2021-02", .date(from: day(2021, 2, 1), through: day(2021, 2, 28))),
  GoldenCase("date:>=2020-06", .date(from: day(2020, 6, 1), through: nil)),
  GoldenCase("date:>2020-06", .date(from: day(2020, 7, 1), through: nil)),
  GoldenCase("date:>2020-12-31", .date(from: day(2021, 1, 1), through: nil)),
  GoldenCase("date:<2021", .date(from: nil, through: day(2020, 12, 31))),
  GoldenCase("date:<2021-03-01", .date(from: nil, through: day(2021, 2, 28))),
  GoldenCase("date:<=2021", .date(from: nil, through: day(2021, 12, 31))),
  GoldenCase("date:2019..", .date(from: day(2019, 1, 1), through: nil)),
  GoldenCase("date:..2019-05", .date(from: nil, through: day(2019, 5, 31))),
  GoldenCase("date:2020-06-15", .date(from: day(2020, 6, 15), through: day(2020, 6, 15))),
  GoldenCase(
    "privacy -date:2020",
    .or([.term("privacy"), .not(.date(from: day(2020, 1, 1), through: day(2020, 12, 31)))])),
  // Control characters are whitespace; a combining mark after a quote does not hide it.
  GoldenCase("a\u{7}b\u{0}c", .or([.term("a"), .term("b"), .term("c")])),
  GoldenCase("\"\u{301}x\"", .phrase("\u{301}x")),
  // Nothing at all.
  GoldenCase("", .empty),
  GoldenCase("   \n\t", .empty),
]

@Test(arguments: validCases)
func parsesValidSyntax(_ golden: GoldenCase) throws {
  #expect(parse(golden.text) == golden.query)
  #expect(try strict(golden.text) == golden.query)
}

@Test func defaultOperatorAndMakesJuxtapositionAConjunction() throws {
  #expect(parse("a b c", .and) == .and([.term("a"), .term("b"), .term("c")]))
  // Juxtaposition has the precedence of the operator it stands for.
  #expect(parse("a b OR c", .and) == .or([.and([.term("a"), .term("b")]), .term("c")]))
  #expect(parse("a OR b c", .and) == .or([.term("a"), .and([.term("b"), .term("c")])]))
  #expect(parse("a -b", .and) == .and([.term("a"), .not(.term("b"))]))
  #expect(try strict("a AND b c", .and) == .and([.term("a"), .term("b"), .term("c")]))
}

/// Invalid syntax: what lenient mode makes of it.
let lenientCases: [GoldenCase] = [
  GoldenCase(#""unclosed phrase"#, .or([.term("unclosed"), .term("phrase")])),
  GoldenCase(#"5" screen"#, .or([.term("5"), .term("screen")])),
  GoldenCase("(a b", .or([.term("a"), .term("b")])),
  GoldenCase("a b)", .or([.term("a"), .term("b")])),
  GoldenCase(")(", .empty),
  GoldenCase("()", .empty),
  GoldenCase("a AND", .term("a")),
  GoldenCase("OR a", .term("a")),
  GoldenCase("AND", .empty),
  GoldenCase("a AND OR b", .or([.term("a"), .term("b")])),
  GoldenCase("NOT", .empty),
  GoldenCase("a NOT", .term("a")),
  GoldenCase("a - b", .or([.term("a"), .term("b")])),
  GoldenCase("--a", .not(.term("a"))),
  GoldenCase("+", .empty),
  GoldenCase("-*", .empty),
  GoldenCase("*", .empty),
  GoldenCase("** a", .term("a")),
  GoldenCase("fo*o", .term("fo*o")),
  GoldenCase("word~2", .term("word~2")),
  GoldenCase(#""a b"~"#, .phrase("a b")),
  GoldenCase(#""a b"~99999999999999999999"#, .phrase("a b", slop: Query.maxSlop)),
  GoldenCase(#""""#, .empty),
  GoldenCase(#"" ""#, .empty),
  GoldenCase("title:", .empty),
  GoldenCase("title: privacy", .term("privacy")),
  GoldenCase("title:(a b)", .or([.term("a"), .term("b")])),
  GoldenCase("foo:bar", .term("foo:bar")),
  GoldenCase("http://example.com/x", .term("http://example.com/x")),
  GoldenCase("date:", .empty),
  GoldenCase("date:yesterday privacy", .term("privacy")),
  GoldenCase("date:2020-13", .empty),
  GoldenCase("date:2021-02-29", .empty),
  GoldenCase("date:>9999", .empty),
  GoldenCase("date:<0001", .empty),
  GoldenCase("date:2021..2019", .date(from: day(2019, 1, 1), through: day(2021, 12, 31))),
  GoldenCase(#"a\"#, .term("a")),
]

@Test(arguments: lenientCases)
func lenientModeRecovers(_ golden: GoldenCase) throws {
  let parser = QueryParser()
  #expect(try parser.parse(golden.text) == golden.query)
  let (query, problems) = parser.parseWithDiagnostics(golden.text)
  #expect(query == golden.query)
  #expect(!problems.isEmpty, "lenient recovery should be reported as a problem")
  #expect(throws: QuerySyntaxError.self) { try strict(golden.text) }
}

@Test func lenientModeCapsDepthLengthAndClauses() throws {
  // 40 nested groups: the deepest are flattened, nothing recurses past the limit.
  let deep = String(repeating: "(", count: 40) + "a b" + String(repeating: ")", count: 40)
  #expect(parse(deep) == .or([.term("a"), .term("b")]))
  let nots = Array(repeating: "NOT", count: 100).joined(separator: " ") + " a"
  var expected: Query = .term("a")
  for _ in 0..<32 { expected = .not(expected) }
  #expect(parse(nots) == expected)
  // Huge inputs are cut at maxLength bytes, and clauses beyond maxClauses are dropped.
  let options = QueryParser.Options(maxLength: 9, maxClauses: 2)
  #expect(try QueryParser(options: options).parse("aaaa bbbb cccc") == .or([.term("aaaa"), .term("bbbb")]))
  #expect(try QueryParser(options: options).parse("aa bb cc dd") == .or([.term("aa"), .term("bb")]))
  let many = Array(repeating: "w", count: 5_000).joined(separator: " ")
  if case .or(let parts) = parse(many) {
    #expect(parts.count == 1_024)
  } else {
    Issue.record("expected an OR of the first 1,024 words")
  }
  let million = String(repeating: "(", count: 1_000_000)
  #expect(parse(million) == .empty)
}

@Test func builderMakesQueriesFromAnyString() {
  let hostile = #"a" OR (b* -c title:"#
  #expect(
    Query(words: hostile) == .or([.term("a\""), .term("OR"), .term("(b*"), .term("-c"), .term("title:")]))
  #expect(
    Query(words: "x y", field: .title, defaultOperator: .and)
      == .and([.term("x", field: .title), .term("y", field: .title)]))
  #expect(Query(words: "   ") == .empty)
  #expect(Query(words: "one") == .term("one"))
  // A built query renders to syntax that means exactly it.
  let built = Query.and([.phrase(hostile), .term(hostile), .prefix("ab*")])
  #expect(parse(built.syntax) == built)
}

@Test func normalizedRemovesDegenerateParts() {
  #expect(Query.and([]).normalized == .empty)
  #expect(Query.and([.term("a")]).normalized == .term("a"))
  #expect(Query.or([.term(""), .phrase("  "), .not(.or([])), .term("a")]).normalized == .term("a"))
  #expect(Query.phrase("a b", slop: -3).normalized == .phrase("a b"))
  #expect(Query.phrase("a b", slop: 5_000).normalized == .phrase("a b", slop: Query.maxSlop))
  #expect(Query.date(from: nil, through: nil).normalized == .empty)
  #expect(
    Query.date(from: day(2021, 1, 1), through: day(2020, 1, 1)).normalized
      == .date(from: day(2020, 1, 1), through: day(2021, 1, 1)))
  #expect(Query.empty.isEmpty)
  #expect(Query.and([.or([]), .not(.term(" "))]).isEmpty)
  #expect(!Query.term("a").isEmpty)
}

@Test func documentationExamplesHold() throws {
  let parsed = Query(parsing: #"title:"facial recognition" Ecuador -pilot"#)
  let built: Query = .or([
    .phrase("facial recognition", field: .title), .term("Ecuador"), .not(.term("pilot")),
  ])
  #expect(parsed == built)
  #expect(built.syntax == #"title:"facial recognition" OR Ecuador OR -pilot"#)
  #expect(
    Query(words: #"C++ "templates" (book)"#) == .or([.term("C++"), .term("\"templates\""), .term("(book)")]))
  #expect(Query.and([.term("AND"), .prefix("priv")]).syntax == #"\AND AND priv*"#)
  #expect(Query(parsing: "privacy (surveillance") == .or([.term("privacy"), .term("surveillance")]))
  let people = QueryParser()
  #expect(
    try people.parse(#"facial recognition "safe city"~2 -pilot"#)
      == .or([.term("facial"), .term("recognition"), .phrase("safe city", slop: 2), .not(.term("pilot"))]))
  #expect(throws: QuerySyntaxError(message: "unclosed quote", position: 6, utf8Offset: 6)) {
    try QueryParser(mode: .strict, defaultOperator: .and).parse(#"title:"open"#)
  }
  #expect(QueryDate(year: 2020, month: 6, day: 1)!.description == "2020-06-01")
  #expect(QueryDate(year: 2021, month: 2, day: 29) == nil)
  #expect(QueryDate(year: 2000, month: 2, day: 29) != nil)
  #expect(QueryDate(year: 1900, month: 2, day: 29) == nil)
}
