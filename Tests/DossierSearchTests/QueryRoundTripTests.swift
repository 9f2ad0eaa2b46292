import DossierTestSupport
import Testing

@testable import DossierSearch

// Rendering: parse(render(q)) == q on random trees, including leaf text that looks like syntax.

private let texts: [String] = [
  "privacy", "AND", "OR", "NOT", "and", "-x", "+x", "x-y", "C++", "a b", " lead", "trail ", "a*", "*",
  "a~2", "~", "title:x", "date:2020", "foo:bar", "\"", "say \"hi\"", "\\", "back\\slash\\", "(x)", ")(",
  "日本語", "😀", "e\u{301}", "\u{301}", "tab\there", "new\nline", "nul\u{0}", ">=2020", "..", "",
  "   ",
]

private func randomDate(_ rng: inout SeededRandom) -> QueryDate? {
  guard Int.random(in: 0..<4, using: &rng) > 0 else { return nil }
  return QueryDate(
    year: Int.random(in: 1...9999, using: &rng), month: Int.random(in: 1...12, using: &rng),
    day: Int.random(in: 1...28, using: &rng))
}

private func randomQuery(_ rng: inout SeededRandom, depth: Int) -> Query {
  let field: QueryField? = Bool.random(using: &rng) ? nil : QueryField.allCases.randomElement(using: &rng)
  let text = texts.randomElement(using: &rng)!
  let choice = Int.random(in: 0..<(depth > 0 ? 9 : 4), using: &rng)
  switch choice {
  case 0: return .term(text, field: field)
  case 1: return .prefix(text, field: field)
  case 2:
    return .phrase(text, field: field, slop: [0, 0, 1, 3, 1_000, 5_000, -1].randomElement(using: &rng)!)
  case 3: return .date(from: randomDate(&rng), through: randomDate(&rng))
  case 4, 5:
    let parts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomQuery(&rng, depth: depth - 1) }
    return choice == 4 ? .and(parts) : .or(parts)
  case 6, 7: return .not(randomQuery(&rng, depth: depth - 1))
  default: return .required(randomQuery(&rng, depth: depth - 1))
  }
}

@Test func renderThenParseGivesTheSameTree() throws {
  var rng = SeededRandom(seed: 42)
  let parsers = [
    QueryParser(mode: .strict), QueryParser(mode: .strict, defaultOperator: .and), QueryParser(),
  ]
  var nested = 0
  for _ in 0..<3_000 {
    let query = randomQuery(&rng, depth: 4)
    let syntax = query.syntax
    if depth(query.normalized) >= 3 { nested += 1 }
    for parser in parsers {
      #expect(
        try parser.parse(syntax) == query.normalized,
        "\(String(reflecting: query)) → \(syntax.debugDescription)")
    }
  }
  #expect(nested > 500, "the generator should make mostly nested trees")
}

@Test(arguments: [
  (Query.or([.term("a"), .and([.term("b"), .term("c")])]), "a OR b AND c"),
  (.and([.or([.term("a"), .term("b")]), .term("c")]), "(a OR b) AND c"),
  (.or([.or([.term("a"), .term("b")]), .term("c")]), "(a OR b) OR c"),
  (.and([.and([.term("a"), .term("b")]), .term("c")]), "(a AND b) AND c"),
  (.not(.not(.term("a"))), "-(-a)"),
  (.required(.or([.term("a"), .term("b")])), "+(a OR b)"),
  (.or([.term("a"), .not(.phrase("b c", slop: 2))]), #"a OR -"b c"~2"#),
  (.term("AND"), #"\AND"#),
  (.term("-5 (x)", field: .title), #"title:\-5\ \(x\)"#),
  (.prefix("a*b:"), #"a\*b\:*"#),
  (.phrase(#"say "hi" \o/"#, field: .body), #"body:"say \"hi\" \\o/""#),
  (.date(from: QueryDate(year: 2020, month: 6, day: 1), through: nil), "date:>=2020-06-01"),
  (.date(from: nil, through: QueryDate(year: 2020, month: 12, day: 31)), "date:<=2020-12-31"),
  (
    .date(from: QueryDate(year: 2019, month: 1, day: 1), through: QueryDate(year: 2021, month: 12, day: 31)),
    "date:2019-01-01..2021-12-31"
  ),
  (
    .date(from: QueryDate(year: 2020, month: 5, day: 4), through: QueryDate(year: 2020, month: 5, day: 4)),
    "date:2020-05-04"
  ),
  (.empty, ""),
  (.and([.term("a"), .or([]), .term("")]), "a"),
])
func rendersCanonicalSyntax(_ query: Query, _ expected: String) {
  #expect(query.syntax == expected)
  #expect(query.description == expected)
}
