/// A shell-style glob pattern for `--include` and `--exclude`.
///
/// `*` matches within one path segment, `**` across segments, `?` one character, and `[abc]`,
/// `[a-z]`, `[!x]` one character of a set. A pattern without `/` is matched against the file
/// name alone (so `*.html` works at any depth); a pattern with `/` against the path relative to
/// the root that was walked.
///
/// ```swift
/// Glob("*.htm?").matches(relativePath: "2021/report.html")   // true
/// Glob("drafts/**").matches(relativePath: "drafts/a/b.txt")  // true
/// ```
///
/// Cost: O(pattern × path) in the worst case, no allocation per match beyond the UTF-8 views.
package struct Glob: Sendable, Hashable {
  package let pattern: String
  private let bytes: [UInt8]
  private let anchored: Bool

  package init(_ pattern: String) {
    var p = pattern
    if p.hasPrefix("./") { p.removeFirst(2) }
    self.pattern = p
    self.bytes = Array(p.utf8)
    self.anchored = p.contains("/")
  }

  /// True when the pattern matches `relativePath` (segments separated by `/`).
  package func matches(relativePath: String) -> Bool {
    let subject: [UInt8]
    if anchored {
      subject = Array(relativePath.utf8)
    } else {
      let path = Array(relativePath.utf8)
      let slash = path.lastIndex(of: UInt8(ascii: "/"))
      subject = slash.map { Array(path[($0 + 1)...]) } ?? path
    }
    return Glob.match(bytes[...], subject[...])
  }

  private static func match(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
    var pi = p.startIndex
    var si = s.startIndex
    while pi < p.endIndex {
      let c = p[pi]
      switch c {
      case UInt8(ascii: "*"):
        let double = pi + 1 < p.endIndex && p[pi + 1] == UInt8(ascii: "*")
        var rest = pi + (double ? 2 : 1)
        // "**/" also matches zero folders.
        if double && rest < p.endIndex && p[rest] == UInt8(ascii: "/") {
          if match(p[(rest + 1)...], s[si...]) { return true }
          rest += 0
        }
        var k = si
        while true {
          if match(p[rest...], s[k...]) { return true }
          if k == s.endIndex { return false }
          if !double && s[k] == UInt8(ascii: "/") { return false }
          k += 1
        }
      case UInt8(ascii: "?"):
        guard si < s.endIndex, s[si] != UInt8(ascii: "/") else { return false }
        si = skipScalar(s, si)
        pi += 1
      case UInt8(ascii: "["):
        guard si < s.endIndex else { return false }
        guard let close = p[(pi + 1)...].dropFirst().firstIndex(of: UInt8(ascii: "]")) else {
          // No closing bracket: a literal "[".
          guard s[si] == c else { return false }
          si += 1
          pi += 1
          continue
        }
        var set = p[(pi + 1)..<close]
        var negate = false
        if let f = set.first, f == UInt8(ascii: "!") || f == UInt8(ascii: "^") {
          negate = true
          set = set.dropFirst()
        }
        let ch = s[si]
        var found = false
        var k = set.startIndex
        while k < set.endIndex {
          if k + 2 < set.endIndex && set[k + 1] == UInt8(ascii: "-") {
            if ch >= set[k] && ch <= set[k + 2] { found = true }
            k += 3
          } else {
            if ch == set[k] { found = true }
            k += 1
          }
        }
        if found == negate || ch == UInt8(ascii: "/") { return false }
        si += 1
        pi = close + 1
      default:
        guard si < s.endIndex, s[si] == c else { return false }
        si += 1
        pi += 1
      }
    }
    return si == s.endIndex
  }

  private static func skipScalar(_ s: ArraySlice<UInt8>, _ i: Int) -> Int {
    var j = i + 1
    while j < s.endIndex && s[j] & 0xC0 == 0x80 { j += 1 }
    return j
  }
}
