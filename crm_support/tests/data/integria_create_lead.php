<?php
// Integria IMS's sample web form (its CRM manual, "Creación de un lead a
// través de un formulario web"), adapted only in the server address, which
// comes from the environment (INTEGRIA_URL). Like the published sample it
// sends no password: the server accepts the call from a listed address.

//Config parameters
$integria_url = getenv("INTEGRIA_URL") ?: "http://192.168.70.163/integria";
$user = "api_user";

//Get post parameters
$name = $_POST["name"];
$email = $_POST["email"];
$company = $_POST["company"];
$role = $_POST["role"];
$country = $_POST["country"];
$comments = $_POST["comments"];

//Create url to call the API
$myurl = $integria_url."/include/api.php?user=".$user."&op=create_lead&params=";
$myurl .= urlencode($name).",".urlencode($company).",";
$myurl .= urlencode($email).",".urlencode($country).",0,0,,,";
$myurl .= urlencode($role).",,,".urlencode($comments).",1,0";

// Configure curl
$ch = curl_init();
curl_setopt($ch, CURLOPT_URL, $myurl);
curl_setopt($ch, CURLOPT_HEADER, 0);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, TRUE);

// Send curl request and close
$ret = curl_exec($ch);

curl_close ($ch);

?>
<h2>Integria IMS Lead form</h2>
<form method="post">
  Full name: <input type="text" name="name" size="35" ><br><br>
  E-mail: <input type="text" name="email" size="25" ><br><br>
  Company: <input type="text" name="company" size="30"><br><br>
  Position: <input type="text" name="role" size="30" ><br><br>
  Country: <input type="text" name="country" size="20" ><br><br>
  Comments and questions:<br>
  <textarea name="comment" cols="50" rows="8"></textarea><br><br>
  <input type="submit" name="submit" value="Submit">
</form>
