@v8
Feature: v8 restores in the background
  From API v8 on, the restore answers 200 OK with the id of the restore session in which it runs
  (RESTAsyncRestoreResponse), and GET /v8/RestoreSessions/{sessionId}/Statistics reports its counts
  (RESTRestoreSessionStatistics): totalItemsCount, restoredItemsCount, failedItemsCount and
  skippedItemsCount, and per mailbox the created, merged, failed and skipped items. The suite
  waits, for at most VB365_TIMEOUT_SECS, until the restore's session reports that the restore
  finished (GET /v8/RestoreSessions/{sessionId} and its events): none of the restore's events
  Running, and the session Stopped or the restore's events ended. The restored mailbox's counts
  are its own entries of the statistics, found by its id or its e-mail address. Should the
  sessionId name the path's restore session, whose statistics add up its restores, each restore
  is judged by the difference of the statistics before and after it. Every credential variant's
  restore is checked.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @should @V8-SESSION-ID
  Scenario Outline: The restore answers the id of its restore session
    When the mailbox is restored with the <variant>
    Then the response code is 200 OK
    And the response body holds the sessionId of the restore's session

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-FINISHES
  Scenario Outline: The restore finishes
    When the mailbox is restored with the <variant>
    Then the restore's session reports that the restore finished

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-TOTAL
  Scenario Outline: The statistics account for every backed-up item once
    When the mailbox is restored with the <variant>
    Then the restore's statistics account for every backed-up item once

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-STATISTICS
  Scenario Outline: The statistics have their documented types
    When the mailbox is restored with the <variant>
    Then the restore's statistics have their documented types

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-RESTORED-COUNT @V8-FAILED-COUNT @V8-SKIPPED-COUNT
  Scenario Outline: The session's counts are the sums of its mailbox entries
    The session's restoredItemsCount, failedItemsCount and skippedItemsCount and its mailboxes'
    entries count the same items twice: where the entries cover the session (a session of the
    restore's own, or entries that account for as many items), they agree, count by count.

    When the mailbox is restored with the <variant>
    Then the statistics count as restored, failed and skipped what their mailbox entries do

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-MAILBOX-STATISTICS
  Scenario Outline: The statistics are the restored mailbox's
    When the mailbox is restored with the <variant>
    Then the restore's statistics list the restored mailbox among the mailboxes they list

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @V8-SESSION-RESULT
  Scenario Outline: The restore's session ends with a result that agrees with the restore
    Once the restore's own session reads Stopped, its result is not Success where items failed
    (its statistics, its mailbox entries or its events say so), nor Failed where nothing failed.

    When the mailbox is restored with the <variant>
    Then the result of the restore's session agrees with its statistics and events

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |
