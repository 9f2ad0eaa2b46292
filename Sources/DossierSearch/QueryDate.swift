/// A calendar day in a date range of a query, between 0001-01-01 and 9999-12-31 (proleptic
/// Gregorian calendar, no time zone: a document's publication date is compared as written).
///
/// ```swift
/// let start = QueryDate(year: 2020, month: 6, day: 1)!
/// print(start)  // 2020-06-01
/// ```
/// Values are three integers; every operation is O(1).
public struct QueryDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// The day, or nil if it does not exist (month 13, February 30, year 0 or 10000).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...QueryDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// The day as `YYYY-MM-DD`.
  public var description: String {
    pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
  }

  public static func < (a: QueryDate, b: QueryDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  /// The next day, or nil after 9999-12-31.
  var next: QueryDate? {
    if let d = QueryDate(year: year, month: month, day: day + 1) { return d }
    if let d = QueryDate(year: year, month: month + 1, day: 1) { return d }
    return QueryDate(year: year + 1, month: 1, day: 1)
  }

  /// The day before, or nil before 0001-01-01.
  var previous: QueryDate? {
    if day > 1 { return QueryDate(year: year, month: month, day: day - 1) }
    if month > 1 {
      return QueryDate(year: year, month: month - 1, day: QueryDate.daysIn(month: month - 1, year: year))
    }
    return QueryDate(year: year - 1, month: 12, day: 31)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// A date as written in a query: a whole year, a whole month, or one day.
struct PartialDate: Hashable {
  var year: Int
  var month: Int?
  var day: Int?

  /// The first day the written date covers (2020-06 → 2020-06-01).
  var first: QueryDate? {
    QueryDate(year: year, month: month ?? 1, day: day ?? 1)
  }

  /// The last day the written date covers (2020 → 2020-12-31, 2020-02 → 2020-02-29).
  var last: QueryDate? {
    let m = month ?? 12
    guard (1...12).contains(m) else { return nil }
    return QueryDate(year: year, month: m, day: day ?? QueryDate.daysIn(month: m, year: year))
  }

  /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ASCII digits, exactly that many) or returns nil;
  /// the date must exist.
  init?(_ text: Substring) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count) else { return nil }
    let widths = [4, 2, 2]
    var numbers: [Int] = []
    for (i, part) in parts.enumerated() {
      guard part.utf8.count == widths[i], part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
        let n = Int(part)
      else { return nil }
      numbers.append(n)
    }
    year = numbers[0]
    month = numbers.count > 1 ? numbers[1] : nil
    day = numbers.count > 2 ? numbers[2] : nil
    guard first != nil, last != nil else { return nil }
  }
}

/// Parses the text after `date:` into an inclusive range of days (either end may be open), or
/// says what is wrong. Forms: `D`, `D..D`, `D..`, `..D`, `>=D`, `>D`, `<=D`, `<D`, where D is
/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a year or month stands for its first day as a lower end
/// and its last day as an upper end. A range written backwards (`2021..2019`) is returned in
/// order, with `reversed` set. O(length of the text).
func parseDateRange(_ spec: Substring) -> Result<DateSpec, DateSpecError> {
  if let dots = firstDoubleDot(spec) {
    let lowText = spec[..<dots]
    let highText = spec[spec.index(dots, offsetBy: 2)...]
    if lowText.isEmpty && highText.isEmpty { return .failure(.invalid) }
    var low: QueryDate? = nil
    var high: QueryDate? = nil
    if !lowText.isEmpty {
      guard let d = PartialDate(lowText) else { return .failure(.invalid) }
      low = d.first
    }
    if !highText.isEmpty {
      guard let d = PartialDate(highText) else { return .failure(.invalid) }
      high = d.last
    }
    if let l = low, let h = high, h < l {
      // Written backwards: cover both written dates whole, e.g. 2021..2019 is 2019-01-01..2021-12-31.
      return .success(
        DateSpec(from: PartialDate(highText)?.first, through: PartialDate(lowText)?.last, reversed: true))
    }
    return .success(DateSpec(from: low, through: high, reversed: false))
  }
  for op in [">=", "<=", ">", "<"] where spec.hasPrefix(op) {
    guard let d = PartialDate(spec.dropFirst(op.count)) else { return .failure(.invalid) }
    switch op {
    case ">=": return .success(DateSpec(from: d.first, through: nil, reversed: false))
    case "<=": return .success(DateSpec(from: nil, through: d.last, reversed: false))
    case ">":
      guard let after = d.last?.next else { return .failure(.outOfRange) }
      return .success(DateSpec(from: after, through: nil, reversed: false))
    default:
      guard let before = d.first?.previous else { return .failure(.outOfRange) }
      return .success(DateSpec(from: nil, through: before, reversed: false))
    }
  }
  guard let d = PartialDate(spec) else { return .failure(.invalid) }
  return .success(DateSpec(from: d.first, through: d.last, reversed: false))
}

private func firstDoubleDot(_ text: Substring) -> Substring.Index? {
  var i = text.startIndex
  while i < text.endIndex {
    let j = text.index(after: i)
    if text[i] == ".", j < text.endIndex, text[j] == "." { return i }
    i = j
  }
  return nil
}

/// A parsed `date:` range.
struct DateSpec: Hashable {
  var from: QueryDate?
  var through: QueryDate?
  /// The range was written end first.
  var reversed: Bool
}

enum DateSpecError: Error {
  /// Not one of the forms, or a day that does not exist.
  case invalid
  /// `>9999-12-31` or `<0001-01-01`: nothing can match.
  case outOfRange

  var message: String {
    switch self {
    case .invalid:
      return
        "invalid date range (expected YYYY, YYYY-MM or YYYY-MM-DD, as D, D..D, D.., ..D, >=D, >D, <=D or <D)"
    case .outOfRange: return "date range is outside 0001-01-01..9999-12-31"
    }
  }
}
