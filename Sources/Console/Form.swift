import TerminalUI

/// One field of a form: a text input or a choice among a few options, with a hint and an inline error.
struct FormField: Sendable, Hashable {
    enum Input: Sendable, Hashable {
        case text(TextField)
        case choice(options: [String], selected: Int)
    }

    var id: String
    var label: String
    var input: Input
    var hint: String = ""
    var error: String?

    static func text(_ id: String, _ label: String, _ value: String = "", hint: String = "", masked: Bool = false) -> FormField {
        FormField(id: id, label: label, input: .text(TextField(value, masked: masked)), hint: hint)
    }

    static func choice(_ id: String, _ label: String, options: [String], selected: Int = 0, hint: String = "") -> FormField {
        FormField(id: id, label: label, input: .choice(options: options, selected: max(0, min(selected, options.count - 1))), hint: hint)
    }

    var value: String {
        switch input {
        case .text(let field): field.text
        case .choice(let options, let selected): options.indices.contains(selected) ? options[selected] : ""
        }
    }
}

/// What a key did to a form.
enum FormAction: Sendable, Hashable { case edited, moved, submit, cancel, ignored }

/// A list of fields with a focus: Tab/↑↓ move, Enter on the last field (or Ctrl-S/F2) submits, Esc cancels.
struct Form: Sendable, Hashable {
    var fields: [FormField]
    var focus = 0
    /// Whether Tab on the last field goes to the first (and Shift-Tab on the first to the last); when false the
    /// focus stops at both ends, so a field's neighbours are only the fields drawn next to it.
    var wraps = true
    /// Whether Enter submits from any field rather than moving to the next one.
    var entersSubmit = false

    init(_ fields: [FormField]) {
        self.fields = fields
    }

    subscript(id: String) -> String {
        fields.first { $0.id == id }?.value ?? ""
    }

    mutating func set(_ id: String, _ value: String) {
        guard let index = fields.firstIndex(where: { $0.id == id }), case .text(var field) = fields[index].input else { return }
        field.text = value
        fields[index].input = .text(field)
    }

    mutating func setError(_ id: String, _ message: String?) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].error = message
    }

    mutating func clearErrors() {
        for index in fields.indices { fields[index].error = nil }
    }

    var focusedID: String? { fields.indices.contains(focus) ? fields[focus].id : nil }

    mutating func focus(on id: String) {
        if let index = fields.firstIndex(where: { $0.id == id }) { focus = index }
    }

    mutating func handle(_ key: Key) -> FormAction {
        switch key {
        case .tab, .down:
            focus = wraps ? (focus + 1) % max(1, fields.count) : min(focus + 1, max(0, fields.count - 1))
            return .moved
        case .backTab, .up:
            focus = wraps ? (focus - 1 + fields.count) % max(1, fields.count) : max(0, focus - 1)
            return .moved
        case .enter:
            if entersSubmit || focus == fields.count - 1 { return .submit }
            focus += 1
            return .moved
        case .control("s"), .function(2):
            return .submit
        case .escape:
            return .cancel
        default:
            break
        }
        guard fields.indices.contains(focus) else { return .ignored }
        switch fields[focus].input {
        case .text(var field):
            guard field.handle(key) else { return .ignored }
            fields[focus].input = .text(field)
            fields[focus].error = nil
            return .edited
        case .choice(let options, let selected):
            switch key {
            case .character(" "), .right, .character("l"):
                fields[focus].input = .choice(options: options, selected: (selected + 1) % options.count)
            case .left, .character("h"):
                fields[focus].input = .choice(options: options, selected: (selected - 1 + options.count) % options.count)
            default:
                return .ignored
            }
            fields[focus].error = nil
            return .edited
        }
    }

    mutating func paste(_ text: String) {
        guard fields.indices.contains(focus), case .text(var field) = fields[focus].input else { return }
        field.insert(text)
        fields[focus].input = .text(field)
    }

    /// Draws the fields from `top`, one row each, with the error (or the focused choice's hint) wrapped under its
    /// field; returns the row after the last one drawn.
    @discardableResult
    func render(into canvas: inout Canvas, top: Int, left: Int, width: Int, height: Int, focused: Bool = true) -> Int {
        let labelWidth = min(22, max(12, (fields.map { displayWidth($0.label) }.max() ?? 10) + 1))
        let inputWidth = max(10, min(width - labelWidth - 2, 70))
        var row = top
        for (index, field) in fields.enumerated() {
            guard row < top + height else { break }
            let isFocused = focused && index == focus
            canvas.put(field.label, row: row, column: left, role: isFocused ? .title : .label, maxWidth: labelWidth)
            let column = left + labelWidth + 1
            switch field.input {
            case .text(let text):
                text.render(into: &canvas, row: row, column: column, width: inputWidth, focused: isFocused, placeholder: field.hint)
            case .choice(let options, let selected):
                var next = column
                for (optionIndex, option) in options.enumerated() {
                    let role: StyleRole = optionIndex == selected ? (isFocused ? .buttonFocused : .button) : .dim
                    next = canvas.put(optionIndex == selected ? "(•) \(option)" : "( ) \(option)", row: row, column: next, role: role) + 2
                }
            }
            row += 1
            let note: (text: String, role: StyleRole)? = if let error = field.error {
                ("✗ \(error)", .error)
            } else if isFocused, case .choice = field.input, !field.hint.isEmpty {
                (field.hint, .dim)
            } else {
                nil
            }
            if let note {
                for line in wrapped(note.text, width: width - labelWidth - 1) where row < top + height {
                    canvas.put(line, row: row, column: column, role: note.role, maxWidth: width - labelWidth - 1)
                    row += 1
                }
            }
        }
        return row
    }
}
