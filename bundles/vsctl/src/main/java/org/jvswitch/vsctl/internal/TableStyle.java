package org.jvswitch.vsctl.internal;

/**
 * How tables print (struct table_style in lib/table.h). ovs-vsctl's default is a list of
 * "column : value" lines with values in ovs-vsctl's own syntax.
 */
final class TableStyle {
    enum Format { TABLE, LIST, HTML, CSV, JSON }

    enum CellFormat { STRING, BARE, JSON }

    Format format = Format.LIST;
    CellFormat cellFormat = CellFormat.STRING;
    boolean headings = true;
    boolean pretty;
    int maxColumnWidth = -1;

    /** table_parse_format. */
    void parseFormat(String s) {
        format = switch (s) {
            case "table" -> Format.TABLE;
            case "list" -> Format.LIST;
            case "html" -> Format.HTML;
            case "csv" -> Format.CSV;
            case "json" -> Format.JSON;
            default -> throw new CtlError("unknown output format \"" + s + "\"");
        };
    }

    /** table_parse_cell_format. */
    void parseCellFormat(String s) {
        cellFormat = switch (s) {
            case "string" -> CellFormat.STRING;
            case "bare" -> CellFormat.BARE;
            case "json" -> CellFormat.JSON;
            default -> throw new CtlError("unknown data format \"" + s + "\"");
        };
    }
}
