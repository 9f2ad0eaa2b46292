/// Writes a `Query` as canonical query syntax: the text that parses back to the same tree.
enum QueryRenderer {
  /// Where a node is written, which decides whether it needs parentheses.
  private enum Context {
    case top, orPart, andPart, operand
  }

  /// O(size of the output).
  static func render(_ query: Query) -> String {
    var out = ""
    write(query.normalized, in: .top, to: &out)
    return out
  }

  private static func write(_ query: Query, in context: Context, to out: inout String) {
    switch query {
    case .or(let parts):
      guard !parts.isEmpty else { return }
      let bare = context == .top
      if !bare { out += "(" }
      for (i, part) in parts.enumerated() {
        if i > 0 { out += " OR " }
        write(part, in: .orPart, to: &out)
      }
      if !bare { out += ")" }
    case .and(let parts):
      let bare = context == .top || context == .orPart
      if !bare { out += "(" }
      for (i, part) in parts.enumerated() {
        if i > 0 { out += " AND " }
        write(part, in: .andPart, to: &out)
      }
      if !bare { out += ")" }
    case .not(let part), .required(let part):
      if context == .operand { out += "(" }
      if case .not = query { out += "-" } else { out += "+" }
      write(part, in: .operand, to: &out)
      if context == .operand { out += ")" }
    case .term(let text, let field):
      writeField(field, to: &out)
      writeWord(text, to: &out)
    case .prefix(let text, let field):
      writeField(field, to: &out)
      writeWord(text, to: &out)
      out += "*"
    case .phrase(let text, let field, let slop):
      writeField(field, to: &out)
      out += "\""
      for scalar in text.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
      }
      out += "\""
      if slop > 0 { out += "~\(slop)" }
    case .date(let from, let through):
      out += "date:"
      switch (from, through) {
      case (let from?, let through?):
        out += from == through ? "\(from)" : "\(from)..\(through)"
      case (let from?, nil): out += ">=\(from)"
      case (nil, let through?): out += "<=\(through)"
      case (nil, nil): break
      }
    }
  }

  private static func writeField(_ field: QueryField?, to out: inout String) {
    if let field { out += field.rawValue + ":" }
  }

  /// A word with every character that could be read as syntax escaped: `\ " ( ) : * ~`,
  /// whitespace and control characters anywhere, `+` or `-` at the start, and a whole word that
  /// is an operator (`AND` is written `\AND`).
  private static func writeWord(_ text: String, to out: inout String) {
    if QueryLexer.keywords[text] != nil { out += "\\" }
    for (i, scalar) in text.unicodeScalars.enumerated() {
      switch scalar {
      case "\\", "\"", "(", ")", ":", "*", "~": out += "\\"
      case "+" where i == 0, "-" where i == 0: out += "\\"
      default: if QueryLexer.isSpace(scalar) { out += "\\" }
      }
      out.unicodeScalars.append(scalar)
    }
  }
}
