@password
Feature: Response code and headers
  "A successfully completed operation returns a response code 200 OK." The response contains a
  Content-length header, the length of the response body, and a Content-type header. The page
  gives application/octet-stream as the media type of export and save, and "null" for restore;
  the vendor OpenAPI declares the 200 body as application/json. See the README's spec notes.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore
    When the mailbox is restored with the user name and password

  @must @RESP-200
  Scenario: A successful restore answers 200 OK
    Then the response code is 200 OK

  @must @HDR-CONTENT-LENGTH
  Scenario: Content-Length is the length of the response body
    Then the response has a Content-Length equal to the length of its body

  @must @HDR-CONTENT-TYPE
  Scenario: Content-Type is present and is not the export and save media type
    Then the response has a Content-Type, and it is not application/octet-stream

  @should @HDR-CONTENT-TYPE-JSON
  Scenario: Content-Type is application/json
    Then the response's Content-Type is application/json
