@password
Feature: Restore a mailbox to its original Exchange server with a user name and password
  POST https://<hostname>:4443/v6/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/restore
  restores backed-up data from a mailbox to the original Exchange server. Request Example 1 of the
  vendor page authenticates to the Exchange organization with "userName" and "userPassword".

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @OP-RESTORE @BODY-PASSWORD @RESP-200
  Scenario: Request Example 1 restores the mailbox
    When the mailbox is restored with the user name and password
    Then the response code is 200 OK
    And the restore does not say that it failed
    And the restore reports its item counts as non-negative integers

  @must @WORKED-EXAMPLE @double-only
  Scenario: The page's example answers 200 OK with 0 created, 0 merged, 0 failed and 1 skipped
    Given the restore session "380d7caf-6294-4a33-b50a-b8aeb13af58c" that holds the mailbox "9e9b7199-f547-467a-b580-9d283a75eaad"
    And the original mailbox holds 1 item, unchanged since the backup
    When the mailbox is restored with the user name and password
    Then the response code is 200 OK
    And the restore reports 0 created, 0 merged, 0 failed and 1 skipped item
