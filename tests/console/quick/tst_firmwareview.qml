import QtQuick
import QtQuick.Controls
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

// The Firmware view over a real FirmwareController and an in-process relay (OTA allowed, one
// image, no devices): the relay's images listed, a local .bin uploaded and picked, a rollout
// started behind the ota confirmation ending with a failed row and its reason, the relay's
// refusal shown as one line, CSV export; and over a relay started without --allow-ota, the view
// says OTA is off and how to turn it on, with its rollout controls off.
TestCase {
    id: testCase

    name: "FirmwareView"
    when: windowShown
    visible: true
    width: 1100
    height: 700

    FirmwareView {
        id: view
        width: 1100
        height: 700
        firmware: testFirmware
        store: testStore
    }

    FirmwareView {
        id: offView
        width: 1100
        height: 700
        visible: false
        firmware: testFirmwareOtaOff
        store: testStore
    }

    function child(name, within) {
        const item = findChild(within || view, name)
        verify(item !== null, "no child named " + name)
        return item
    }

    function test_0_otaOnShowsNoWarning() {
        tryCompare(testFirmware, "images", ["app.bin"], 5000)
        verify(testFirmware.otaAvailable)
        compare(testFirmware.otaProblem, "")
        verify(!child("firmwareOtaOff").visible)
        verify(child("firmwareUpload").enabled)
    }

    function test_6_otaOffIsSaidWithTheWayToTurnItOn() {
        verify(testFirmwareOtaOff.otaAvailable) // not known before the relay is asked
        view.visible = false
        offView.visible = true // shown: asks the relay
        try {
            tryCompare(testFirmwareOtaOff, "otaAvailable", false, 5000)
            verify(child("firmwareOtaOff", offView).visible)
            compare(child("firmwareOtaOffTitle", offView).text, "OTA is off on this relay")
            const problem = child("firmwareOtaProblem", offView).text
            for (const part of ["--allow-ota and --token", "grouploop-relay --allow-ota", "--firmware-dir"])
                verify(problem.indexOf(part) >= 0, part + " not in: " + problem)
            compare(testFirmwareOtaOff.images, ["app.bin"]) // still listed, not flashable
            for (const name of ["firmwareImage", "firmwareUpload", "firmwareTargets", "firmwareBatch",
                                "firmwareTimeout", "firmwareStart", "firmwareCancel"])
                verify(!child(name, offView).enabled, name + " is enabled")
            verify(child("firmwareRefresh", offView).enabled) // to ask again
            compare(testFirmwareOtaOff.error, "") // said in place of the controls, not as an error
            // A rollout asked for anyway is refused by the relay; still no error line.
            testFirmwareOtaOff.start("app.bin", ["all"], 20, 60)
            tryCompare(testFirmwareOtaOff, "busy", false, 5000)
            verify(!testFirmwareOtaOff.otaAvailable)
            compare(testFirmwareOtaOff.rolloutId, "")
        } finally {
            offView.visible = false
            view.visible = true
        }
    }

    function test_1_listsTheRelaysImages() {
        tryCompare(testFirmware, "images", ["app.bin"], 5000)
        compare(child("firmwareImage").currentText, "app.bin")
    }

    function test_2_uploadAddsAndPicksTheImage() {
        verify(testFiles.write("new-1.1.bin", "NEWFIRMWARE"))
        testFirmware.upload(testFiles.path("new-1.1.bin"))
        tryVerify(() => testFirmware.images.indexOf("new-1.1.bin") >= 0, 5000, testFirmware.error)
        tryCompare(child("firmwareImage"), "currentText", "new-1.1.bin", 2000)
        compare(child("firmwareStatus").text, "Uploaded new-1.1.bin")
    }

    function test_3_rolloutBehindTheConfirmation() {
        child("firmwareImage").currentIndex = testFirmware.images.indexOf("app.bin")
        child("firmwareTargets").currentIndex = 2 // one device
        const start = child("firmwareStart")
        verify(!start.enabled) // no id yet
        child("firmwareOneId").text = "00ab"
        verify(start.enabled)
        mouseClick(start)
        const confirm = child("firmwareConfirm")
        tryVerify(() => confirm.opened, 2000)
        verify(confirm.targetSummary.indexOf("00ab") >= 0, confirm.targetSummary)
        const ack = findChild(confirm.contentItem, "otaAcknowledge")
        verify(!confirm.standardButton(Dialog.Ok).enabled)
        ack.checked = true
        verify(confirm.standardButton(Dialog.Ok).enabled)
        confirm.accept()
        tryCompare(testFirmware, "rolloutState", "done", 5000)
        compare(testFirmware.devices.length, 1)
        compare(testFirmware.devices[0].id, "00ab")
        compare(testFirmware.devices[0].state, "failed")
        compare(testFirmware.devices[0].error, "not connected to this relay")
        const rows = child("firmwareRows")
        tryCompare(rows, "count", 1, 2000)
        verify(child("firmwareCounts").text.indexOf("1 failed") >= 0, child("firmwareCounts").text)
        verify(child("firmwareStatus").text.indexOf("0 updated, 1 failed") >= 0, child("firmwareStatus").text)
        verify(!child("firmwareCancel").enabled)
    }

    function test_4_refusalShownAsOneLine() {
        child("firmwareTargets").currentIndex = 1 // all: the relay has no devices
        testFirmware.start("app.bin", ["all"], 20, 60)
        tryVerify(() => testFirmware.error.length > 0, 5000)
        compare(testFirmware.error, "409: no devices are connected to this relay")
        compare(child("firmwareError").text, testFirmware.error)
        verify(child("firmwareError").visible)
    }

    function test_5_exportCsv() {
        verify(child("firmwareExport").enabled)
        verify(testFirmware.exportCsv(testFiles.path("rollout.csv")))
        compare(testFiles.read(testFiles.path("rollout.csv")),
                "id,state,bytes,total_bytes,error\n00ab,failed,0,65536,\"not connected to this relay\"\n")
    }
}
