package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints {@link OutputTable}s as lib/table.c does. Like the C code's static {@code first_table},
 * it separates consecutive tables of one invocation with a blank line (except in JSON and HTML).
 */
final class TablePrinter {
    private final TableStyle style;
    private boolean firstTable = true;

    TablePrinter(TableStyle style) {
        this.style = style;
    }

    String print(OutputTable table) {
        StringBuilder s = new StringBuilder();
        switch (style.format) {
            case TABLE -> printTable(table, s);
            case LIST -> printList(table, s);
            case HTML -> printHtml(table, s);
            case CSV -> printCsv(table, s);
            case JSON -> printJson(table, s);
        }
        return s.toString();
    }

    /** cell_to_text. */
    private String text(OutputTable.Cell cell) {
        return switch (style.cellFormat) {
            case STRING -> DatumFormat.string(cell.datum(), cell.type());
            case BARE -> DatumFormat.bare(cell.datum(), cell.type());
            case JSON -> DatumFormat.json(cell.datum(), cell.type());
        };
    }

    private void separate(StringBuilder s) {
        if (firstTable) {
            firstTable = false;
        } else {
            s.append('\n');
        }
    }

    private static void finishLine(StringBuilder s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == ' ') {
            n--;
        }
        s.setLength(n);
        s.append('\n');
    }

    private void printTable(OutputTable table, StringBuilder s) {
        separate(s);
        List<String> headings = table.headings();
        int[] widths = new int[headings.size()];
        for (int x = 0; x < widths.length; x++) {
            int w = 0;
            for (List<OutputTable.Cell> row : table.rows()) {
                w = Math.max(w, text(row.get(x)).length());
            }
            if (style.maxColumnWidth > 0 && w > style.maxColumnWidth) {
                w = style.maxColumnWidth;
            }
            if (style.headings) {
                w = Math.max(w, headings.get(x).length());
            }
            widths[x] = w;
        }
        if (style.headings) {
            for (int x = 0; x < widths.length; x++) {
                if (x > 0) {
                    s.append(' ');
                }
                pad(s, headings.get(x), widths[x]);
            }
            finishLine(s);
            for (int x = 0; x < widths.length; x++) {
                if (x > 0) {
                    s.append(' ');
                }
                s.append("-".repeat(widths[x]));
            }
            finishLine(s);
        }
        for (List<OutputTable.Cell> row : table.rows()) {
            for (int x = 0; x < widths.length; x++) {
                if (x > 0) {
                    s.append(' ');
                }
                String text = text(row.get(x));
                pad(s, text.length() > widths[x] ? text.substring(0, widths[x]) : text, widths[x]);
            }
            finishLine(s);
        }
    }

    private static void pad(StringBuilder s, String text, int width) {
        s.append(text);
        for (int i = text.length(); i < width; i++) {
            s.append(' ');
        }
    }

    private void printList(OutputTable table, StringBuilder s) {
        separate(s);
        List<String> headings = table.headings();
        boolean first = true;
        for (List<OutputTable.Cell> row : table.rows()) {
            if (!first) {
                s.append('\n');
            }
            first = false;
            for (int x = 0; x < headings.size(); x++) {
                if (style.headings) {
                    pad(s, headings.get(x), 20);
                    s.append(": ");
                }
                s.append(text(row.get(x))).append('\n');
            }
        }
    }

    private void printCsv(OutputTable table, StringBuilder s) {
        separate(s);
        if (style.headings) {
            for (int x = 0; x < table.headings().size(); x++) {
                if (x > 0) {
                    s.append(',');
                }
                csvCell(s, table.headings().get(x));
            }
            s.append('\n');
        }
        for (List<OutputTable.Cell> row : table.rows()) {
            for (int x = 0; x < row.size(); x++) {
                if (x > 0) {
                    s.append(',');
                }
                csvCell(s, text(row.get(x)));
            }
            s.append('\n');
        }
    }

    private static void csvCell(StringBuilder s, String content) {
        if (content.indexOf('\n') < 0 && content.indexOf('"') < 0 && content.indexOf(',') < 0) {
            s.append(content);
            return;
        }
        s.append('"').append(content.replace("\"", "\"\"")).append('"');
    }

    private void printJson(OutputTable table, StringBuilder s) {
        // The object's members are sorted, so "data" comes before "headings".
        Map<String, Object> json = new LinkedHashMap<>();
        List<Object> data = new ArrayList<>();
        for (List<OutputTable.Cell> row : table.rows()) {
            List<Object> cells = new ArrayList<>();
            for (OutputTable.Cell c : row) {
                cells.add(DatumFormat.jsonTree(c.datum(), c.type()));
            }
            data.add(cells);
        }
        json.put("data", data);
        List<Object> headings = new ArrayList<>();
        for (String h : table.headings()) {
            headings.add(new JsonWriter.Raw(JsonText.quote(h)));
        }
        json.put("headings", headings);
        s.append(JsonWriter.write(json, style.pretty)).append('\n');
    }

    private void printHtml(OutputTable table, StringBuilder s) {
        s.append("<table border=1>\n");
        if (style.headings) {
            s.append("  <tr>\n");
            for (String h : table.headings()) {
                htmlCell(s, "th", h);
            }
            s.append("  </tr>\n");
        }
        for (List<OutputTable.Cell> row : table.rows()) {
            s.append("  <tr>\n");
            for (int x = 0; x < row.size(); x++) {
                String content = text(row.get(x));
                if (table.headings().get(x).equals("_uuid")) {
                    s.append("    <td><a name=\"").append(escapeHtml(content)).append("\">")
                            .append(escapeHtml(content.substring(0, Math.min(8, content.length()))))
                            .append("</a></td>\n");
                } else {
                    htmlCell(s, "td", content);
                }
            }
            s.append("  </tr>\n");
        }
        s.append("</table>\n");
    }

    private static void htmlCell(StringBuilder s, String element, String content) {
        s.append("    <").append(element).append('>');
        int p = 0;
        while (p < content.length()) {
            String rest = content.substring(p);
            if (rest.length() >= 36 && Uuids.parse(rest.substring(0, 36)) != null) {
                s.append("<a href=\"#").append(rest, 0, 36).append("\">").append(rest, 0, 8).append("</a>");
                p += 36;
            } else {
                s.append(escapeHtml(rest.substring(0, 1)));
                p++;
            }
        }
        s.append("</").append(element).append(">\n");
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
