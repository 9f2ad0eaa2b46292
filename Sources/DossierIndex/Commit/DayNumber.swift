/// Calendar dates as the index stores them: days since 1970-01-01 (proleptic Gregorian), the
/// value of the numeric `date` field, sortable and range-searchable.
///
///     DayNumber.days(year: 2021, month: 3, day: 14)   // 18700
///     DayNumber.parse("2021-03")                       // 18687 (the first of the month)
///
/// Cost: O(1).
package enum DayNumber {
  /// Days from 1970-01-01 to the given date (negative before). Month 1-12, day 1-31.
  package static func days(year: Int, month: Int, day: Int) -> Int64 {
    // Howard Hinnant's days-from-civil algorithm (a published formula).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int64(era * 146_097 + doe - 719_468)
  }

  /// The day of an ISO date `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (partial dates give their first
  /// day), or nil.
  package static func parse(_ iso: String) -> Int64? {
    let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]) else { return nil }
    let month = parts.count > 1 ? Int(parts[1]) : 1
    let day = parts.count > 2 ? Int(parts[2]) : 1
    guard let month, let day, (1...12).contains(month), (1...31).contains(day) else { return nil }
    return days(year: year, month: month, day: day)
  }
}
