@v8 @password
Feature: v8 restores in the background
  From API v8 on, the restore answers 200 OK with the id of the restore session in which it runs
  (RESTAsyncRestoreResponse), and GET /v8/RestoreSessions/{sessionId}/Statistics reports its counts
  (RESTRestoreSessionStatistics): totalItemsCount, restoredItemsCount, failedItemsCount and
  skippedItemsCount, and per mailbox the created, merged, failed and skipped items. The suite polls
  the statistics until they account for every backed-up item, for at most VB365_TIMEOUT_SECS.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore
    When the mailbox is restored with the user name and password

  @should @V8-SESSION-ID
  Scenario: The restore answers the id of its restore session
    Then the response code is 200 OK
    And the response body holds the sessionId of the restore's session

  @should @V8-FINISHES
  Scenario: The restore finishes and accounts for every backed-up item
    Then the restore's statistics account for every backed-up item

  @should @V8-STATISTICS
  Scenario: The statistics have their documented types
    Then the restore's statistics have their documented types

  @should @V8-RESTORED-COUNT
  Scenario: Restored items are the created and the merged ones
    Then the restore's statistics count every created and merged item as restored
