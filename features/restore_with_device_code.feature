@device-code
Feature: Restore a mailbox to its original Exchange server with a device code
  Request Example 2 of the vendor page authenticates with "userCode", the authentication code
  obtained through Getting Device Code. The property is required to restore with a device code.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @OP-RESTORE @BODY-DEVICE-CODE @RESP-200
  Scenario: Request Example 2 restores the mailbox
    When the mailbox is restored with the device code
    Then the response code is 200 OK
    And the restore does not say that it failed
    And the restore reports its item counts as non-negative integers
