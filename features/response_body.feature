Feature: Response body
  "In the response body, the server returns information about operation results": the integers
  createdItemsCount, mergedItemsCount, failedItemsCount and skippedItemsCount. The vendor OpenAPI
  (RESTFoldersRestoreStatistics) adds failedFoldersCount, exceptions, warnings and
  cannotContinueError; real servers may send them as null, and may add properties of their own.
  From v8 on the restore runs in the background, and the counts are in its statistics.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @BODY-COUNTS
  Scenario Outline: The restore reports its four item counts as non-negative integers
    When the mailbox is restored with the <variant>
    Then the restore reports its item counts as non-negative integers

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

  @should @BODY-VENDOR-PROPERTIES @v6 @v7
  Scenario Outline: The OpenAPI's other statistics have their documented types
    When the mailbox is restored with the <variant>
    Then the response body's other statistics have their documented types

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
