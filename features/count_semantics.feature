@password
Feature: What the item counts mean
  createdItemsCount: "Number of missing items restored from the backup."
  mergedItemsCount: "Number of changed items restored from the backup."
  failedItemsCount: "Number of items for which the restore operation failed."
  skippedItemsCount: "Number of items that were not changed or missing in the original location.
  Such items are skipped during the restore operation."
  So a restore accounts for every backed-up item once, and right after a restore only the items
  it failed can still need writing. On a live server a real mailbox's state is not the suite's to
  set: there the counts are checked through two restores right after each other.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @COUNT-CREATED @COUNT-MERGED @COUNT-FAILED @COUNT-SKIPPED @double-only
  Scenario Outline: The counts follow the state of the original mailbox
    Given the original mailbox lacks <missing> backed-up items, has <changed> changed and <unchanged> unchanged
    And the original mailbox refuses to have <refused> of the missing items written
    When the mailbox is restored with the user name and password
    Then the restore reports <created> created, <merged> merged, <failed> failed and <skipped> skipped items

    Examples:
      | missing | changed | unchanged | refused | created | merged | failed | skipped |
      | 3       | 2       | 5         | 0       | 3       | 2      | 0      | 5       |
      | 4       | 0       | 0         | 0       | 4       | 0      | 0      | 0       |
      | 0       | 6       | 1         | 0       | 0       | 6      | 0      | 1       |
      | 0       | 0       | 7         | 0       | 0       | 0      | 0      | 7       |
      | 5       | 1       | 2         | 2       | 3       | 1      | 2      | 2       |
      | 0       | 0       | 0         | 0       | 0       | 0      | 0      | 0       |

  @must @COUNT-TOTAL @COUNT-REPEAT @password @device-code
  Scenario: Restoring again right after a restore accounts for the same items and writes only what failed
    On a live server the second restore is the run's restore with the device code, made right after
    its restore with the user name and password: no real restore is made for this scenario alone.

    When the mailbox is restored with the user name and password
    And the mailbox is restored again with the device code
    Then the second restore accounts for as many items as the first
    And the second restore creates and merges at most the items the first failed, and skips every item the first created, merged or skipped

  @must @COUNT-REPEAT @double-only
  Scenario: After a restore, every backed-up item that could be written is skipped
    Given the original mailbox lacks 3 backed-up items, has 2 changed and 5 unchanged
    And the original mailbox refuses to have 1 of the missing items written
    When the mailbox is restored with the user name and password
    And the mailbox is restored again with the user name and password
    Then the restore reports 0 created, 0 merged, 1 failed and 9 skipped items
