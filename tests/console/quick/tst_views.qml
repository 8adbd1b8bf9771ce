import QtQuick
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

TestCase {
    id: testCase

    name: "Views"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be the panel under test
    width: 1000
    height: 700

    DeviceTableView {
        id: table
        width: 1000
        height: 350
        store: testStore
    }

    LogView {
        id: logView
        y: 350
        width: 1000
        height: 350
        log: testLog
    }

    function initTestCase() {
        testDriver.feed(["0b018080bf0000000000", "0b028080bf1122334400", "0c038080bf00000000ff"])
    }

    function test_tableShowsFiltersAndSorts() {
        const tableView = findChild(table, "deviceTable")
        tryCompare(tableView, "rows", testStore.count)
        verify(tableView.rows >= 3)
        table.filterText = "0b"
        tryCompare(tableView, "rows", 2)
        compare(findChild(table, "tableCount").text, "2 of " + testStore.count + " devices")
        table.proxy.sortBy(0)
        table.proxy.sortBy(0)
        compare(table.proxy.deviceIdAt(0), "0b02")
        table.filterText = ""
        findChild(table, "onlySelectedBox").checked = true
        testStore.selectOnly("0c03")
        tryCompare(tableView, "rows", 1)
        findChild(table, "onlySelectedBox").checked = false
    }

    function test_tableClickSelects() {
        table.filterText = "0b"
        const tableView = findChild(table, "deviceTable")
        tryCompare(tableView, "rows", 2)
        waitForRendering(tableView)
        mouseClick(tableView, 40, 14)
        compare(testStore.selectedCount, 1)
        compare(testStore.currentId, table.proxy.deviceIdAt(0))
        mouseClick(tableView, 40, 42, Qt.LeftButton, Qt.ControlModifier)
        compare(testStore.selectedCount, 2)
        mouseClick(tableView, 40, 42, Qt.LeftButton, Qt.ControlModifier)
        compare(testStore.selectedCount, 1)
        mouseClick(tableView, 40, 42, Qt.LeftButton, Qt.ShiftModifier)
        compare(testStore.selectedIds, ["0b01", "0b02"])
        table.filterText = ""
    }

    function test_logFiltersAndCopies() {
        testLog.clear()
        testLog.append(0, "connection", "Connected to ws://x")
        testLog.append(1, "relay", "Health check failed")
        testLog.append(2, "command", "Not sent: nothing selected")
        compare(logView.filter.count, 3)
        findChild(logView, "logLevel").currentIndex = 1
        compare(logView.filter.count, 2)
        findChild(logView, "logFilter").text = "health"
        compare(logView.filter.count, 1)
        verify(logView.filter.text().indexOf("WARN [relay] Health check failed") > 0)
        compare(findChild(logView, "logCount").text, "1 of 3 lines")
        findChild(logView, "logFilter").text = ""
        findChild(logView, "logLevel").currentIndex = 0
    }
}
