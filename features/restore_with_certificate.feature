@certificate
Feature: Restore a mailbox to its original Exchange server with an application certificate
  Request Example 3 of the vendor page authenticates with an Azure AD application: "applicationId",
  "applicationCertificate" (the PKCS#12 .pfx file as a Base64 string, converted as "Converting
  Certificate to Base64 String" describes), "applicationCertificatePassword" and
  "impersonationAccountName". impersonationAccountName is required with a certificate and is
  used only with it.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @OP-RESTORE @BODY-CERTIFICATE @RESP-200
  Scenario: Request Example 3 restores the mailbox
    When the mailbox is restored with the application certificate
    Then the response code is 200 OK
    And the restore does not say that it failed
    And the restore reports its item counts as non-negative integers

  @should @BODY-IMPERSONATION-REQUIRED
  Scenario: A certificate without impersonationAccountName is refused
    When a restore request is sent whose body is a certificate without impersonationAccountName
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

  @should @BODY-IMPERSONATION-ONLY
  Scenario Outline: impersonationAccountName without a certificate is refused
    When a restore request is sent whose body is impersonationAccountName with the <variant>
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |
